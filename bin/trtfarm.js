#!/usr/bin/env node
// The package's `bin`: `npx trtfarm …` from the checkout. The CLI is TypeScript, run through
// tsx's loader (a dependency), so there is nothing to compile first.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
