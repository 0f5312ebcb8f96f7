/**
 * The console API behind the HTTP API (lib/constructs/console.ts): the same Hono app as
 * `posture console`, authenticated from the claims the JWT authorizer verified.
 */
import { handle } from 'hono/aws-lambda';
import { createConsoleApp } from '#console/app.ts';
import { principalFromLambdaBindings } from '#console/jwt-principal.ts';
import { consoleDeps } from '#lambda-runtime/console-deps.ts';

const app = createConsoleApp(consoleDeps().ports, async (_request, bindings) => principalFromLambdaBindings(bindings));

export const handler = handle(app);
