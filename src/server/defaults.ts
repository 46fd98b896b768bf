/** Where the hub listens unless told otherwise; apart from hub-server.ts so the CLI can name them without loading the server. */
export const DEFAULT_PORT = 7777;
export const DEFAULT_HOST = '127.0.0.1';
