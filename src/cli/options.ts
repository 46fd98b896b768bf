/** What the CLI's command files share: option parsers and the shape of a command runner. */
import { InvalidArgumentError } from 'commander';
import type { Hub } from '../hub/hub.js';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export type Runner = <A extends unknown[]>(action: (hub: Hub, ...args: A) => Promise<number | void>) => (...args: A) => Promise<void>;

export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 10000) throw new InvalidArgumentError('expected an integer from 1 to 10000');
  return parsed;
}

export function nonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 1_000_000) throw new InvalidArgumentError('expected an integer from 0');
  return parsed;
}

