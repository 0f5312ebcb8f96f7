/**
 * An emulator workaround the local runtime injects into its SDK clients (never the deployed
 * path's): moto answers its own thread-safety races with an HTML 500 page, which the SDK fails to
 * parse (a SyntaxError without HTTP metadata), so its retry strategy never sees a 5xx. This retries
 * those few answers, outside the SDK's loop.
 */
import type { ClientDecorator, ClientOptions } from '#aws/clients.ts';

export const emulatorRaceRetry: ClientDecorator = (client) =>
  client.middlewareStack.add(
    (next) => async (args) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await next(args);
        } catch (err) {
          const e = err as { name?: string; $response?: { statusCode?: number } };
          const htmlFiveHundred = e.name === 'SyntaxError' || (e.$response?.statusCode ?? 0) >= 500;
          if (!htmlFiveHundred || attempt >= 4) throw err;
          await new Promise((r) => setTimeout(r, 25 * 2 ** attempt + Math.random() * 25));
        }
      }
    },
    { step: 'initialize', name: 'postureEmulatorRaceRetry' },
  );

/** Client options for calls against an emulator endpoint. */
export const EMULATOR_CLIENT_OPTIONS: Pick<ClientOptions, 'decorators'> = { decorators: [emulatorRaceRetry] };
