#!/usr/bin/env node
// Launcher for the built CLI (npm install builds it through the "prepare" script).
require('../out/main/cli.js');
