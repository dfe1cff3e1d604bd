import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  FALKOR_WORKER_CLOSE_GRACE_MS,
  type FalkorWorker,
  startFalkorWorker,
} from '../../queue/falkor-queue.worker.js';
import type { FalkorWebhookSettings } from '../falkor-webhook.settings.js';
import { FALKOR_WEBHOOK_SETTINGS } from '../falkor-webhook.tokens.js';
import { FalkorWebhookReceiver } from '../http/falkor-webhook.receiver.js';
import { FalkorListenerRegistry } from '../listeners/falkor-listener.registry.js';
import { FalkorOutageLog } from './outage.log.js';

/**
 * The worker of an import configured with `queue` (role `both` or `worker`): processes each
 * stored delivery with the receiver's steps, and at shutdown finishes the deliveries it holds
 * before the app closes.
 */
@Injectable()
export class FalkorQueueWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('FalkorWebhook');
  private readonly outages = new FalkorOutageLog(
    this.logger,
    'The queue worker',
    'the stored deliveries wait in Redis until it is back',
  );
  private worker: FalkorWorker | undefined;

  constructor(
    @Inject(FALKOR_WEBHOOK_SETTINGS) private readonly settings: FalkorWebhookSettings,
    private readonly receiver: FalkorWebhookReceiver,
    private readonly registry: FalkorListenerRegistry,
  ) {}

  /** Starts the worker once the listeners are subscribed. */
  async onApplicationBootstrap(): Promise<void> {
    const queue = this.settings.queue;
    if (queue === undefined || queue.role === 'receiver') {
      return;
    }
    this.registry.onApplicationBootstrap();
    this.worker = await startFalkorWorker(
      queue,
      (delivery) => {
        // A job fetched is Redis answering again.
        this.outages.recovered();
        return this.receiver.work(delivery);
      },
      (error) => this.outages.failed(error),
    );
  }

  /**
   * Stops taking deliveries and waits for those it holds (each listener within its timeout).
   * The route refuses new deliveries (503) first: Nest destroys this worker before the receiver
   * it depends on, so without that the route would keep acknowledging deliveries with 202 for as
   * long as the worker drains. While Redis is unavailable it waits
   * {@link FALKOR_WORKER_CLOSE_GRACE_MS} at most once its deliveries are done, as BullMQ's close
   * would wait for Redis forever.
   */
  async onModuleDestroy(): Promise<void> {
    this.receiver.onModuleDestroy();
    if (this.worker !== undefined && !(await this.worker.close())) {
      // BullMQ waits for Redis to close: an app must still be able to shut down in an outage.
      this.logger.warn(
        `The queue worker could not close its Redis connection within ` +
          `${FALKOR_WORKER_CLOSE_GRACE_MS} ms of finishing its deliveries (is Redis down?): ` +
          'shutting down without it. A delivery it could not record as done is processed again.',
      );
    }
  }
}
