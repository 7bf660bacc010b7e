import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from './browser.js';

test('without Chromium the browser tests fail with how to install it (never skip)', async () => {
  await assert.rejects(launchBrowser('/no/such/chromium'), /need Chromium at \/no\/such\/chromium: install it \(apt-get install -y chromium/);
});
