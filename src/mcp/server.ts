/**
 * The MCP server: the tools of tools.ts behind the SDK's protocol
 * implementation, for any transport.
 *
 * Why the SDK's low-level `Server` rather than `McpServer`: McpServer turns
 * every failure, malformed arguments and unknown tools included, into a tool
 * result. Here the two kinds of failure stay apart: a malformed call is a
 * protocol error (JSON-RPC -32602, the client's bug), while an unknown or
 * ambiguous symbol is a tool error whose text tells the model what to do
 * next (the nearest names, or the choices to pass instead).
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Hub } from '../hub/hub.js';
import { GraphhubError } from '../model/errors.js';
import { TOOLS, type ToolDefinition } from './tools.js';

export const SERVER_NAME = 'graphhub';
export const SERVER_VERSION = '0.1.0';

const INSTRUCTIONS = [
  'graphhub answers questions about indexed source repositories at the level of functions and methods:',
  'search finds symbols; symbol shows everything about one (source, callers, callees, tests);',
  'callers, callees, impact, tests and used_in_the_wild answer one question each; source reads verified lines of a file.',
  'Every answer names the repository and commit it was computed from. Pass a symbol id from one answer as `symbol` to the next.',
].join(' ');

/** Tool listings are the same for every session: computed once. */
const TOOL_LIST: Tool[] = TOOLS.map((definition) => ({
  name: definition.name,
  title: definition.title,
  description: definition.description,
  inputSchema: z.toJSONSchema(definition.input, { target: 'draft-7', io: 'input' }) as Tool['inputSchema'],
  outputSchema: z.toJSONSchema(definition.output, { target: 'draft-7', io: 'output' }) as Tool['outputSchema'],
  annotations: { title: definition.title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
}));

const TOOLS_BY_NAME = new Map<string, ToolDefinition>(TOOLS.map((definition) => [definition.name, definition]));

export function createMcpServer(hub: Hub, options: { log?: (line: string) => void } = {}): Server {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const server = new Server({ name: SERVER_NAME, version: SERVER_VERSION }, { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOL_LIST }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const definition = TOOLS_BY_NAME.get(request.params.name);
    if (!definition) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool ${JSON.stringify(request.params.name)}; the tools are: ${[...TOOLS_BY_NAME.keys()].join(', ')}`);
    }
    const parsed = definition.input.safeParse(request.params.arguments ?? {});
    if (!parsed.success) {
      throw new McpError(ErrorCode.InvalidParams, `Invalid arguments for ${definition.name}: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
    }
    try {
      const answer = await definition.run(hub, parsed.data as Record<string, unknown>);
      return { content: [{ type: 'text', text: answer.text }], structuredContent: answer.structured };
    } catch (error) {
      if (error instanceof GraphhubError) return toolError(error);
      log(`graphhub mcp: internal error in ${definition.name}: ${(error as Error)?.stack ?? String(error)}`);
      throw new McpError(ErrorCode.InternalError, `internal error in ${definition.name}`);
    }
  });
  return server;
}

interface ChoiceLike {
  id?: string;
  kind?: string;
  qualifiedName?: string;
  file?: string;
  line?: number;
  repository?: string;
}

/** A failure the model can act on: the message, then the choices to pass instead. */
export function toolError(error: GraphhubError): CallToolResult {
  const lines = [error.message];
  const choices = Array.isArray(error.details?.choices) ? (error.details.choices as unknown[]) : [];
  if (choices.length > 0) {
    const symbols = choices.filter((choice): choice is ChoiceLike => typeof choice === 'object' && choice !== null && 'id' in choice);
    if (symbols.length > 0) {
      lines.push('Call again with one of these ids as `symbol`:');
      for (const choice of symbols.slice(0, 30)) {
        lines.push(`  ${choice.id}  (${choice.kind} ${choice.qualifiedName} at ${choice.file}:${choice.line} in ${choice.repository})`);
      }
      if (symbols.length > 30) lines.push(`  … and ${symbols.length - 30} more; use a qualified name or pass \`repository\` to narrow them`);
    } else {
      lines.push(`Choices: ${choices.slice(0, 50).map(String).join(', ')}`);
    }
  }
  return { isError: true, content: [{ type: 'text', text: lines.join('\n') }] };
}
