import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Queue } from 'bullmq';
import {
  FalkorConfigurationError,
  FalkorQueueUnavailableError,
} from '../../core/errors/falkor-webhook.errors.js';
import { type FalkorFailedDelivery, FalkorQueueClient } from '../../queue/falkor-queue.client.js';
import type { FalkorQueuedDelivery } from '../../queue/queued.delivery.js';
import type { FalkorWebhookSettings } from '../falkor-webhook.settings.js';
import { FALKOR_WEBHOOK_SETTINGS } from '../falkor-webhook.tokens.js';
import { FalkorOutageLog } from './outage.log.js';

/**
 * The queue of an import of `FalkorWebhookModule` configured with `queue`: inject it to list the
 * deliveries that used up their attempts and replay them.
 *
 * @example
 * ```ts
 * constructor(private readonly deliveries: FalkorDeliveryQueue) {}
 * async retryAll() { return this.deliveries.replayAll(); }
 * ```
 */
@Injectable()
export class FalkorDeliveryQueue implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('FalkorWebhook');
  private readonly outages = new FalkorOutageLog(this.logger, 'The queue');
  private client: FalkorQueueClient | undefined;

  constructor(@Inject(FALKOR_WEBHOOK_SETTINGS) private readonly settings: FalkorWebhookSettings) {}

  /** Opens the queue when the module has the `queue` option (loading BullMQ). */
  async onModuleInit(): Promise<void> {
    if (this.settings.queue !== undefined) {
      this.client = await FalkorQueueClient.open(this.settings.queue, (error) =>
        this.outages.failed(error),
      );
    }
  }

  /** Closes the queue's connection, once the worker and the route are done with it. */
  async onApplicationShutdown(): Promise<void> {
    await this.client?.close();
  }

  /** Whether the module has the `queue` option. */
  get enabled(): boolean {
    return this.settings.queue !== undefined;
  }

  /** The BullMQ queue, for tools such as dashboards. */
  get queue(): Queue<FalkorQueuedDelivery> {
    return this.require().queue;
  }

  /**
   * Lists the deliveries that used up their attempts, newest first, with each failed listener
   * and its error.
   *
   * @param limit - the most to list. Default: all of them
   */
  async failed(limit?: number): Promise<FalkorFailedDelivery[]> {
    return this.require().failed(limit);
  }

  /**
   * Gives a failed delivery all its attempts again; its listeners that succeeded do not run again.
   *
   * @param id - the id {@link FalkorDeliveryQueue.failed} lists
   * @returns `false` when no failed delivery has this id
   */
  async replay(id: string): Promise<boolean> {
    return this.require().replay(id);
  }

  /**
   * Replays every failed delivery.
   *
   * @returns how many were replayed
   */
  async replayAll(): Promise<number> {
    return this.require().replayAll();
  }

  /**
   * Stores a verified delivery for the worker.
   *
   * @param id - the job id: the SHA-256 of its body
   * @param delivery - what the worker needs
   * @throws FalkorQueueUnavailableError when Redis fails or is too slow
   * @internal
   */
  async enqueue(id: string, delivery: FalkorQueuedDelivery): Promise<void> {
    try {
      await this.require().enqueue(id, delivery);
    } catch (error) {
      // A refused delivery is an outage even before BullMQ reports a failed reconnect (its
      // first one comes after a second), so that the log tells of every outage that cost a 503.
      if (error instanceof FalkorQueueUnavailableError) {
        this.outages.failed(error.cause instanceof Error ? error.cause : error);
      }
      throw error;
    }
    this.outages.recovered();
  }

  private require(): FalkorQueueClient {
    if (this.client === undefined) {
      throw new FalkorConfigurationError(
        this.enabled
          ? 'FalkorDeliveryQueue is used before the application has initialised.'
          : 'FalkorDeliveryQueue needs the "queue" option of FalkorWebhookModule: set ' +
              "queue: { connection: { host: 'localhost', port: 6379 } }.",
      );
    }
    return this.client;
  }
}
