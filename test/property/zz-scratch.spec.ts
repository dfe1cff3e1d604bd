import { afterAll, beforeAll, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { signFalkorPayload } from '../../src/index.js';
import { falkorSamplePayload } from '../../src/testing/index.js';
import { createApp, postRaw, RecordingListener, TEST_SECRET, webhookModule } from '../support/apps.js';

let app: INestApplication; let app2: INestApplication;
beforeAll(async () => {
  app = await createApp('express', [webhookModule()], { providers: [RecordingListener] });
  app2 = await createApp('fastify', [webhookModule({ validatorOptions: { forbidUnknownValues: true } })], { providers: [RecordingListener] });
});
afterAll(async () => { await app.close(); await app2.close(); });
it('explore', async () => {
  const bad = '{"type":"rewards","data":{"pathway":{"x":{"constructor":1}},"rewards":[]}}';
  const r = await postRaw(app, '/webhooks/falkor', bad, { 'Content-Type': 'application/json', 'Falkor-Webhook-Signature': signFalkorPayload(bad, TEST_SECRET) });
  console.log(r.status, r.text);
  const good = '{"type":"rewards","data":{"pathway":{"ID":"p","x":{"constructor":1}},"rewards":[]}}';
  const r2 = await postRaw(app2, '/webhooks/falkor', good, { 'Content-Type': 'application/json', 'Falkor-Webhook-Signature': signFalkorPayload(good, TEST_SECRET) });
  console.log(r2.status, r2.text);
  const r3 = await postRaw(app, '/webhooks/falkor', good, { 'Content-Type': 'application/json', 'Falkor-Webhook-Signature': signFalkorPayload(good, TEST_SECRET) });
  console.log(r3.status, r3.text);
  void falkorSamplePayload;
});
