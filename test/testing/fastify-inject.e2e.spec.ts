import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createFalkorDelivery, falkorSampleReward } from 'nestjs-falkor-webhook/testing';
import { type BuiltPackage, buildPackage, runNode } from '../support/built-package.js';

type InjectOptions = Exclude<Parameters<NestFastifyApplication['inject']>[0], string>;

const PROGRAM = fileURLToPath(new URL('../support/fastify-inject.program.mjs', import.meta.url));

// light-my-request, behind fastify.inject, loads an ES module with require(), which Jest cannot do
// on Node 20: the requests run in a plain Node process against the built package instead.
describe('a delivery sent with fastify.inject', () => {
  let build: BuiltPackage;

  beforeAll(async () => {
    build = await buildPackage();
  });
  afterAll(() => build?.remove());

  it('is accepted with its exact bytes, and refused when signed with another secret', async () => {
    const accepted = createFalkorDelivery('rewards', {
      overrides: { data: { rewards: [falkorSampleReward({ name: 'Safety champion – gold' })] } },
    });
    const refused = createFalkorDelivery('enrolments', { secret: 'another-secret' });
    const requests: InjectOptions[] = [accepted, refused].map((delivery) => ({
      method: 'POST',
      url: '/webhooks/falkor',
      headers: delivery.headers,
      payload: delivery.body,
    }));
    const result = await runNode(PROGRAM, [build.dir], { input: JSON.stringify(requests) });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const { answers, received } = JSON.parse(result.stdout) as {
      answers: { statusCode: number; body: { error?: string } }[];
      received: string[];
    };
    expect(answers[0]).toEqual({
      statusCode: 200,
      body: { received: true, type: 'rewards', listeners: 1 },
    });
    expect(answers[1]).toMatchObject({
      statusCode: 401,
      body: { error: 'Unauthorized', code: 'signature_invalid' },
    });
    expect(received).toEqual([accepted.body]);
  });
});
