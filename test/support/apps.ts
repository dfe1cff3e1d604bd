import {
  type DynamicModule,
  type INestApplication,
  Injectable,
  Module,
  type Provider,
  type Type,
} from '@nestjs/common';
import request from 'supertest';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { FalkorWebhookModule, type FalkorWebhookEvent, OnFalkorEvent } from '../../src/index.js';

/** The HTTP adapters every e2e suite runs on. */
export const adapters = ['express', 'fastify'] as const;

/** An HTTP adapter name. */
export type AdapterName = (typeof adapters)[number];

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  readonly rawBody?: boolean;
  readonly globalPrefix?: string;
  readonly providers?: readonly Provider[];
  readonly bodyLimit?: number;
}

/** The secret test apps use unless told otherwise. */
export const TEST_SECRET = 'test-secret-0123456789';

/**
 * Starts a Nest app with the given modules on an adapter, listening on a free loopback port.
 */
export async function createApp(
  adapter: AdapterName,
  imports: (DynamicModule | Type<unknown>)[],
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  @Module({
    imports: [EventEmitterModule.forRoot(), ...imports],
    providers: [...(options.providers ?? [])],
  })
  class TestAppModule {}

  const app =
    adapter === 'express'
      ? await NestFactory.create(TestAppModule, new ExpressAdapter(), {
          rawBody: options.rawBody ?? true,
          logger: false,
        })
      : await NestFactory.create<NestFastifyApplication>(
          TestAppModule,
          new FastifyAdapter(options.bodyLimit ? { bodyLimit: options.bodyLimit } : undefined),
          { rawBody: options.rawBody ?? true, logger: false },
        );
  if (options.globalPrefix) {
    app.setGlobalPrefix(options.globalPrefix);
  }
  await app.listen(0, '127.0.0.1');
  return app;
}

/** The module as most tests import it. */
export function webhookModule(
  options: Partial<Parameters<typeof FalkorWebhookModule.forRoot>[0]> = {},
) {
  return FalkorWebhookModule.forRoot({ secret: TEST_SECRET, ...options });
}

/** Records every event it receives, for assertions. */
@Injectable()
export class RecordingListener {
  readonly received: FalkorWebhookEvent[] = [];

  @OnFalkorEvent(['enrolment.created', 'enrolment.completed'])
  onEnrolment(event: FalkorWebhookEvent<'enrolment.created' | 'enrolment.completed'>): void {
    this.received.push(event);
  }

  @OnFalkorEvent('activity.completed')
  onActivity(event: FalkorWebhookEvent<'activity.completed'>): void {
    this.received.push(event);
  }

  @OnFalkorEvent(['attendance.registered', 'attendance.checked_in'])
  onAttendance(event: FalkorWebhookEvent<'attendance.registered' | 'attendance.checked_in'>): void {
    this.received.push(event);
  }

  @OnFalkorEvent('reward.unlocked')
  onReward(event: FalkorWebhookEvent<'reward.unlocked'>): void {
    this.received.push(event);
  }
}

/**
 * POSTs exact bytes: supertest would otherwise serialise a Buffer sent as JSON.
 */
export function postRaw(
  app: INestApplication,
  path: string,
  body: string | Buffer,
  headers: Record<string, string>,
) {
  return request(app.getHttpServer())
    .post(path)
    .set(headers)
    .serialize((data: unknown) => data as string)
    .send(body);
}
