import { setTimeout as delay } from 'node:timers/promises';
import { Injectable, Module, type Type } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import {
  type FalkorQueueRole,
  type FalkorWebhookEvent,
  FalkorWebhookModule,
  OnFalkorEvent,
} from 'nestjs-falkor-webhook';
import { BENCH_PATH, BENCH_SECRET } from '../bench.config.js';
import type { ProbeReading } from './queue.protocol.js';
import { monotonicNs, msSinceSent } from './unique.deliveries.js';

/**
 * What the listener of this process saw, for the runner to read over IPC: the calls started and
 * finished, and the latency of each from the sender's clock reading in its body.
 */
export class ListenerProbe {
  /** Set while the runner waits for each call's start (the idle run): tells it over IPC. */
  notify = false;
  private started = 0;
  private finished = 0;
  private latencies: number[] = [];

  /** Counts a call's start, as early as the listener can. */
  start(pathwayName: string | null | undefined): void {
    const ms = msSinceSent(pathwayName, monotonicNs());
    this.started++;
    if (ms !== undefined) {
      this.latencies.push(ms);
    }
    if (this.notify) {
      process.send?.({ type: 'started' });
    }
  }

  /** Counts a call's end. */
  finish(): void {
    this.finished++;
  }

  /**
   * What was seen so far.
   *
   * @param reset - start counting again from nothing afterwards
   */
  read(reset: boolean): ProbeReading {
    const reading = { started: this.started, finished: this.finished, latencies: this.latencies };
    if (reset) {
      this.started = 0;
      this.finished = 0;
      this.latencies = [];
    }
    return reading;
  }
}

/** The probe of this process. */
export const PROBE = new ListenerProbe();

/** How the measured module is set up. */
export interface QueueBenchSetup {
  /** `inline`, or the queue role. */
  readonly mode: 'inline' | FalkorQueueRole;
  /** How long the listener waits, in ms: a call to another service. */
  readonly listenerMs: number;
  /** The Redis of the queue modes. */
  readonly connection?: { readonly host: string; readonly port: number };
  /** The queue's name. */
  readonly queueName: string;
}

/**
 * The module of the `module` variant of `npm run bench` with one `enrolments` listener that does
 * what a listener calling another service does: it awaits a timer of `listenerMs`. The same
 * listener runs before the answer inline, and in the worker in queue mode.
 */
export function queueBenchModule(setup: QueueBenchSetup): Type<unknown> {
  @Injectable()
  class WorkingListener {
    @OnFalkorEvent('enrolments')
    async onEnrolments(event: FalkorWebhookEvent<'enrolments'>): Promise<void> {
      PROBE.start(event.payload.data.pathway.name);
      await delay(setup.listenerMs);
      PROBE.finish();
    }
  }

  const queue =
    setup.mode === 'inline' || setup.connection === undefined
      ? undefined
      : { connection: { ...setup.connection }, name: setup.queueName, role: setup.mode };
  @Module({
    imports: [
      EventEmitterModule.forRoot(),
      FalkorWebhookModule.forRoot({
        secret: BENCH_SECRET,
        path: BENCH_PATH,
        ...(queue ? { queue } : {}),
      }),
    ],
    providers: [WorkingListener],
  })
  class QueueBenchModule {}
  return QueueBenchModule;
}
