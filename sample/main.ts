import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { falkorBodyParserOptions, signFalkorPayload } from 'nestjs-falkor-webhook';
import { FALKOR_SAMPLE_PAYLOADS } from 'nestjs-falkor-webhook/testing';
import { AppModule } from './app.module.js';
import { readSampleConfig } from './sample.config.js';

/** The docs' example of the Enrolments webhook, as the printed curl sends it. */
const SAMPLE_BODY = JSON.stringify(FALKOR_SAMPLE_PAYLOADS.enrolments);

async function bootstrap(): Promise<void> {
  const logger = new Logger('Sample');
  const config = readSampleConfig();
  if (config.usingDevelopmentSecret) {
    logger.warn(
      `FALKOR_WEBHOOK_SECRET is not set: using the development secret "${config.secret}". ` +
        'Set FALKOR_WEBHOOK_SECRET to your webhook secret before receiving real deliveries.',
    );
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config.secret), {
    rawBody: true,
  });
  // The webhook route gets its deliveries as exact bytes, whatever their Content-Type, up to 8 MiB:
  // a delivery may be a snapshot of the whole pathway (5,000 enrolments are about 1.5 MB).
  app.useBodyParser('raw', falkorBodyParserOptions());
  app.enableShutdownHooks();
  await app.listen(config.port);
  const url = `http://localhost:${config.port}/webhooks/falkor`;
  logger.log(`Receiving Falkor webhooks at POST ${url}`);
  logger.log("Send it the docs' Enrolments example, signed, from another terminal:");
  process.stdout.write(
    `\ncurl -i -X POST ${url} -H 'Content-Type: application/json' ` +
      `-H 'Falkor-Webhook-Signature: ${signFalkorPayload(SAMPLE_BODY, config.secret)}' ` +
      `--data-binary '${SAMPLE_BODY}'\n\n`,
  );
  process.stdout.write(
    'or with the CLI' +
      (config.usingDevelopmentSecret ? ':' : ' (with FALKOR_WEBHOOK_SECRET set there too):') +
      `\n\nnpx falkor-webhook send ${url} --event enrolments` +
      (config.usingDevelopmentSecret ? ` --secret ${config.secret}` : '') +
      '\n\n',
  );
  process.stdout.write(
    'Send either one twice: the second time no record event fires again, and the answer counts ' +
      'the enrolments\' changes in "changes.alreadyDone".\n\n',
  );
}

void bootstrap();
