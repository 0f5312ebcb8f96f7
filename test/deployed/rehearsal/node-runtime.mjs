// A Lambda-like runtime for one Node function bundle (test/deployed). Run as
//   node node-runtime.mjs <task root> <handler, e.g. index.handler>
// from a copy of the function's cdk.out asset outside the repository, with the function's
// environment. Invocations arrive over the IPC channel as { id, event, deadline, requestId,
// traceId }; each answer is { id, result } or { id, error: { errorType, errorMessage } }.
// One invocation at a time, like one Lambda execution environment; module state survives
// between invocations (the container is warm).
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [taskRoot, handlerSpec] = process.argv.slice(2);
const dot = handlerSpec.lastIndexOf('.');
const file = handlerSpec.slice(0, dot);
const name = handlerSpec.slice(dot + 1);
let mod;
try {
  mod = await import(pathToFileURL(join(taskRoot, `${file}.mjs`)).href);
} catch (err) {
  process.send({ init: { errorType: 'Runtime.ImportModuleError', errorMessage: String(err?.stack ?? err) } });
  process.exit(1);
}
const handler = mod[name];
if (typeof handler !== 'function') {
  process.send({ init: { errorType: 'Runtime.HandlerNotFound', errorMessage: `${handlerSpec} is undefined or not exported` } });
  process.exit(1);
}
process.send({ init: 'ok', node: process.version });

let queue = Promise.resolve();
process.on('message', (msg) => {
  queue = queue.then(async () => {
    process.env._X_AMZN_TRACE_ID = msg.traceId;
    const context = {
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      invokedFunctionArn: msg.functionArn,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      awsRequestId: msg.requestId,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, msg.deadline - Date.now()),
    };
    try {
      const result = await handler(msg.event, context);
      process.send({ id: msg.id, result: result === undefined ? null : result });
    } catch (err) {
      process.send({ id: msg.id, error: { errorType: err?.name ?? 'Error', errorMessage: String(err?.message ?? err) } });
    }
  });
});
