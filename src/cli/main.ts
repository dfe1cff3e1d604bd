#!/usr/bin/env node
import { processCliIo } from './cli.io.js';
import { runFalkorWebhookCli } from './falkor-webhook.cli.js';

process.exitCode = await runFalkorWebhookCli(process.argv.slice(2), processCliIo());
