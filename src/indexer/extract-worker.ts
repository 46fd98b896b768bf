/** A thread of the extraction pool (extract-pool.ts): bytes in, facts JSON out. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { collectIfDue } from '../languages/tree-sitter.js';
import { extractNow } from './extract-pool.js';

parentPort?.on('message', (message: { id: number; languageId: string; dialect: string; bytes: Uint8Array; close?: boolean }) => {
  if (message.close) {
    // Free parse trees while the thread is whole, then let it end by itself (see WorkerExtractor.close).
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    parentPort!.close();
    return;
  }
  let outcome;
  try {
    outcome = extractNow({ languageId: message.languageId, dialect: message.dialect, bytes: Buffer.from(message.bytes) });
  } catch (error) {
    // Extraction never throws by contract; a bug that does must not take the pool down.
    outcome = { factsJson: undefined, diagnostics: [{ severity: 'error' as const, message: `extractor bug: ${(error as Error).message}` }] };
  }
  // The facts travel as their JSON text (which the extraction cache stores anyway), not as a structured clone.
  parentPort!.postMessage({ id: message.id, factsJson: outcome.factsJson, diagnostics: outcome.diagnostics });
  // Frees parse trees; their finalisers run when this thread returns to its event loop.
  collectIfDue();
});
