/**
 * MCP over Streamable HTTP, stateless: every request gets a fresh server and
 * transport that live only as long as the request, and answers come back as
 * plain JSON. No session is kept in memory, so any replica behind a load
 * balancer can answer any request (the tools are read-only and need no
 * session). GET (a server-to-client event stream) and DELETE (ending a
 * session) have nothing to offer here and answer 405.
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Hub } from '../hub/hub.js';
import { createMcpServer } from './server.js';

/** JSON-RPC request bodies larger than this are refused (413) before parsing. */
export const MAX_MCP_REQUEST_BYTES = 256 * 1024;

export function createMcpHttpHandler(hub: Hub, options: { log?: (line: string) => void } = {}): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'POST') {
      return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP endpoint is stateless; POST JSON-RPC messages' }, id: null }), {
        status: 405,
        headers: { 'Content-Type': 'application/json', Allow: 'POST' },
      });
    }
    const server = createMcpServer(hub, options);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      maxRequestBodySize: MAX_MCP_REQUEST_BYTES,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request);
    } finally {
      // With JSON responses the answer is complete once handleRequest returns.
      await server.close();
    }
  };
}
