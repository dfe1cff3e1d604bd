#!/usr/bin/env bash
# Checks that a CommonJS application on Nest 11 can use the package through Node's require(esm):
# packs the package, installs the tarball with Nest 11 from the npm registry in a temporary folder,
# starts a small CommonJS app on a free loopback port, sends it signed deliveries and checks that
# the listener ran. The folder is removed on exit. NEST11_EVENT_EMITTER picks the
# @nestjs/event-emitter range (default ^3, the line made for Nest 11; ^12 supports Nest 11 too).
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

npm run build
TARBALL=$(npm pack --json --pack-destination "$WORK" | node -e '
  let json = "";
  process.stdin.on("data", (chunk) => (json += chunk));
  process.stdin.on("end", () => console.log(JSON.parse(json)[0].filename));
')

mkdir "$WORK/app"
cd "$WORK/app"
echo '{ "name": "nest11-smoke", "version": "0.0.0", "private": true }' >package.json
npm install --no-audit --no-fund --loglevel=error \
  @nestjs/common@^11 @nestjs/core@^11 @nestjs/platform-express@^11 "@nestjs/event-emitter@${NEST11_EVENT_EMITTER:-^3}" \
  class-validator class-transformer reflect-metadata rxjs "$WORK/$TARBALL"

cat >main.js <<'JS'
'use strict';
require('reflect-metadata');
const assert = require('node:assert/strict');
const { Injectable, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { EventEmitterModule } = require('@nestjs/event-emitter');
const { FalkorWebhookModule, OnFalkorEvent, signFalkorPayload } = require('nestjs-falkor-webhook');
const { createFalkorDelivery } = require('nestjs-falkor-webhook/testing');

const SECRET = 'nest11-smoke-secret';
const received = [];

class Certificates {
  issue(event) {
    received.push(event);
  }
}
Reflect.decorate(
  [OnFalkorEvent(['enrolments', 'rewards'])],
  Certificates.prototype,
  'issue',
  Object.getOwnPropertyDescriptor(Certificates.prototype, 'issue'),
);
Reflect.decorate([Injectable()], Certificates);

class AppModule {}
Reflect.decorate(
  [
    Module({
      imports: [EventEmitterModule.forRoot(), FalkorWebhookModule.forRoot({ secret: SECRET })],
      providers: [Certificates],
    }),
  ],
  AppModule,
);

async function post(url, body, headers) {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: await response.json() };
}

async function main() {
  const app = await NestFactory.create(AppModule, { rawBody: true, logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${app.getHttpServer().address().port}/webhooks/falkor`;
  try {
    // An enrolments delivery of the documented shape, written out as the platform would send it.
    const body = JSON.stringify({
      type: 'enrolments',
      data: {
        pathway: { name: 'Pathway Name', ID: 'FA-HCPG-06RF' },
        enrolments: [
          {
            email: 'test@example.com',
            firstname: 'Test',
            lastname: 'User',
            status: {
              level: 2,
              state: 'Complete',
              progress: 100,
              version: '1.2.3',
              timestamp: '2020-10-09T14:59:06+02:00',
              joined: '2020-10-07T12:00:06+02:00',
            },
          },
        ],
      },
    });
    const signed = await post(url, body, {
      'Content-Type': 'application/json',
      'Falkor-Webhook-Signature': signFalkorPayload(body, SECRET),
    });
    assert.deepEqual(signed, {
      status: 200,
      body: { received: true, type: 'enrolments', listeners: 1 },
    });
    assert.equal(received.length, 1);
    assert.equal(received[0].payload.constructor.name, 'FalkorEnrolmentsPayloadDto');
    assert.equal(received[0].payload.data.pathway.ID, 'FA-HCPG-06RF');
    assert.equal(received[0].payload.data.enrolments[0].status.state, 'Complete');
    assert.equal(received[0].payload.data.enrolments[0].status.progress, 100);

    const forged = await post(url, body, {
      'Content-Type': 'application/json',
      'Falkor-Webhook-Signature': signFalkorPayload(body, 'another-secret'),
    });
    assert.equal(forged.status, 401);

    const delivery = createFalkorDelivery('rewards', { secret: SECRET });
    assert.equal((await post(url, delivery.body, delivery.headers)).status, 200);
    assert.equal(received[1].payload.data.rewards[0].vouchers[0].expires, 'never');

    // Without a Content-Type header fetch sends text/plain, which no Express parser takes: the
    // module reads the body itself, on Nest 11 too.
    const plain = await post(url, delivery.body, {
      'Falkor-Webhook-Signature': delivery.headers['Falkor-Webhook-Signature'],
    });
    assert.deepEqual(plain, { status: 200, body: { received: true, type: 'rewards', listeners: 1 } });
    assert.equal(received[2].rawBody.toString('utf8'), delivery.body);
    assert.deepEqual(
      received.map((event) => event.type),
      ['enrolments', 'rewards', 'rewards'],
    );
  } finally {
    await app.close();
  }
  const version = (name) => require(`${name}/package.json`).version;
  console.log(
    `Nest 11 smoke test passed: Node ${process.version}, @nestjs/core ${version('@nestjs/core')}, ` +
      `@nestjs/event-emitter ${version('@nestjs/event-emitter')}, a CommonJS app requiring the package.`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
JS

node main.js
