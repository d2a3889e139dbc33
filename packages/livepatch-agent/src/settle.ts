/**
 * A synchronous call as a settled promise.
 *
 * @module
 */

/**
 * Runs `call` now and returns its result, or its error, as a settled promise: a synchronous `node:fs` call
 * behind the signature of its `node:fs/promises` twin (errors are delivered as rejections, as there).
 */
export function settle<T>(call: () => T): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
