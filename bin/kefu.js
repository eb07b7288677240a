#!/usr/bin/env node
// The `kefu` command: runs the TypeScript CLI through tsx (no build step).
require('tsx/cjs');
require('../cli/index.ts');
