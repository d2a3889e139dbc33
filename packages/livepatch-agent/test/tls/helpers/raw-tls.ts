import { connect, type ConnectionOptions } from 'node:tls';

/** How a raw TLS connection attempt ended. */
export interface RawTlsOutcome {
  /** Whether `secureConnect` fired (for TLS 1.3, the client's side of the handshake completed). */
  secureConnect: boolean;
  /** The negotiated protocol, when `secureConnect` fired. */
  protocol: string | null;
  /** The negotiated ALPN protocol, when `secureConnect` fired. */
  alpnProtocol: string | false | null;
  /** Whether at least one byte of application data (the server's HTTP/2 SETTINGS) arrived. */
  receivedData: boolean;
  /** The `code` of the error the socket emitted, if any. */
  errorCode: string | undefined;
}

/**
 * Opens a TLS connection with node:tls directly, waits up to `holdMs` for the server to send data or
 * hang up, then closes it.
 */
export async function connectRawTls(
  options: ConnectionOptions,
  holdMs = 1000,
): Promise<RawTlsOutcome> {
  return new Promise((resolve) => {
    const outcome: RawTlsOutcome = {
      secureConnect: false,
      protocol: null,
      alpnProtocol: false,
      receivedData: false,
      errorCode: undefined,
    };
    const socket = connect({ ALPNProtocols: ['h2'], ...options });
    const timer = setTimeout(() => socket.end(), holdMs);
    socket.on('secureConnect', () => {
      outcome.secureConnect = true;
      outcome.protocol = socket.getProtocol();
      outcome.alpnProtocol = socket.alpnProtocol;
    });
    socket.on('data', () => {
      outcome.receivedData = true;
      socket.end();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      outcome.errorCode ??= error.code;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(outcome);
    });
  });
}
