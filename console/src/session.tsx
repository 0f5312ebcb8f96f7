/** The signed-in principal for the whole app, and `useCan(action)`: the UI hides what the role cannot do (the API still refuses it). */
import { createContext, useContext } from 'react';
import { can, type ConsoleAction, type Principal } from '#console/auth.ts';

export const PrincipalContext = createContext<Principal | undefined>(undefined);

export function usePrincipal(): Principal | undefined {
  return useContext(PrincipalContext);
}

export function useCan(action: ConsoleAction): boolean {
  const p = usePrincipal();
  return p ? can(p.role, action) : false;
}
