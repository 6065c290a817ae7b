// @ts-check
// What `import … from 'atoll-islands'` gives an island module in the browser
// (package.json "exports", "browser" condition). Island modules run on both
// sides, and one that exports getServerData may throw HttpError there; the
// browser never calls getServerData, so it only needs the names to exist.
// Everything else the package exports is for the server.

export class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} [message]
   * @param {{ cause?: unknown }} [options]
   */
  constructor(status, message, options) {
    super(message ?? `HTTP ${status}`, options);
    this.name = 'HttpError';
    this.status = status;
    this.expose = status < 500;
  }
}
