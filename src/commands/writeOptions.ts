import { COMMON } from '../args.js';

/** What every `set` takes (and `restore`, `reset`): where, and how the change is written and applied. */
export const WRITE_OPTIONS = {
  root: COMMON.root,
  'dry-run': { kind: 'flag', help: 'print the diff of each file to change; write nothing' },
  'no-apply': COMMON.noApply,
  apply: { kind: 'flag', help: 'with --root: apply too (own network namespace only)' },
  stack: COMMON.stack,
  'confirm-timeout': { kind: 'value', arg: 'S', help: 'seconds to answer "Keep these settings?" (default 30)' },
  'no-revert': { kind: 'flag', help: 'keep a verified change without asking' },
} as const;
