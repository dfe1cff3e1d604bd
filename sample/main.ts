import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { signFalkorPayload } from 'nestjs-falkor-webhook';
import { AppModule } from './app.module.js';
import { readSampleConfig } from './sample.config.js';

const SAMPLE_BODY = JSON.stringify({
  event: 'enrolment.completed',
  occurredAt: '2026-11-28T10:15:00+00:00',
  pathway: { id: 'pw_8841', name: 'Onboarding / Safety 101' },
  user: { id: 'usr_1207', email: 'zoe.muller@example.com' },
  enrolment: { id: 'enr_55', status: 'completed', progress: 100 },
});

async function bootstrap(): Promise<void> {
  const logger = new Logger('Sample');
  const config = readSampleConfig();
  if (config.usingDevelopmentSecret) {
    logger.warn(
      `FALKOR_WEBHOOK_SECRET is not set: using the development secret "${config.secret}". ` +
        'Set FALKOR_WEBHOOK_SECRET to your webhook secret before receiving real deliveries.',
    );
  }
  const app = await NestFactory.create(AppModule.register(config.secret), { rawBody: true });
  app.enableShutdownHooks();
  await app.listen(config.port);
  const url = `http://localhost:${config.port}/webhooks/falkor`;
  logger.log(`Receiving Falkor webhooks at POST ${url}`);
  logger.log('Send it a signed delivery from another terminal:');
  process.stdout.write(
    `\ncurl -i -X POST ${url} -H 'Content-Type: application/json' ` +
      `-H 'Falkor-Webhook-Signature: ${signFalkorPayload(SAMPLE_BODY, config.secret)}' ` +
      `--data-binary '${SAMPLE_BODY}'\n\n`,
  );
  process.stdout.write(
    'or with the CLI' +
      (config.usingDevelopmentSecret ? ':' : ' (with FALKOR_WEBHOOK_SECRET set there too):') +
      `\n\nnpx falkor-webhook send ${url} --event enrolment.completed` +
      (config.usingDevelopmentSecret ? ` --secret ${config.secret}` : '') +
      '\n\n',
  );
}

void bootstrap();
