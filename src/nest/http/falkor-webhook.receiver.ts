import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { parseFalkorBody } from '../../core/body/body.js';
import {
  FalkorDeduplicator,
  falkorDeliveryKey,
  type FalkorReservation,
} from '../../core/deduplication/deduplication.js';
import { FalkorShuttingDownError } from '../../core/errors/falkor-webhook.errors.js';
import {
  type FalkorVerifiedRequest,
  verifyFalkorRequest,
} from '../../core/verification/request-verifier.js';
import { falkorVerifiedMessage } from '../../core/verification/verification.messages.js';
import type { FalkorWebhookRequest } from '../../core/verification/webhook.request.js';
import { FalkorDeliveryValidator } from '../../events/delivery.validator.js';
import { falkorWebhookEvent, type FalkorWebhookEvent } from '../../events/falkor-webhook.event.js';
import { FALKOR_RECORD_EVENT_TYPES, FALKOR_RECORD_EVENTS } from '../../events/record-events.js';
import { falkorRecordChanges, type FalkorRecordChange } from '../../records/record.changes.js';
import { FalkorRecordClaims, type FalkorRecordClaim } from '../../records/record.claims.js';
import type { FalkorWebhookSettings } from '../falkor-webhook.settings.js';
import { FALKOR_WEBHOOK_SETTINGS } from '../falkor-webhook.tokens.js';
import type { FalkorWorkResult } from '../../queue/falkor-queue.worker.js';
import {
  falkorDeliveryOfJob,
  falkorQueuedDelivery,
  type FalkorQueuedDelivery,
} from '../../queue/queued.delivery.js';
import { falkorWorkFailure } from '../../queue/work.failure.js';
import {
  type FalkorDispatchOutcome,
  FalkorEventDispatcher,
} from '../listeners/falkor-event.dispatcher.js';
import { FalkorDeliveryQueue } from '../queue/falkor-delivery.queue.js';
import { FalkorListenerRegistry } from '../listeners/falkor-listener.registry.js';
import {
  falkorQueuedReceipt,
  falkorReceipt,
  type FalkorRecordsOutcome,
  type FalkorWebhookReceipt,
} from './falkor-webhook.receipt.js';
import { falkorRefusal, logFalkorRefusal } from './falkor-webhook.refusal.js';
import { FalkorInFlightDeliveries } from './in-flight-deliveries.js';

const SHUTDOWN_RETRY_AFTER_SECONDS = 5;

/** A store that always lets a delivery run, for a module without `deduplication`. */
const NOT_DEDUPLICATED = {
  reserve: (): Promise<FalkorReservation> => Promise.resolve({ state: 'unchecked' }),
  settle: (): Promise<void> => Promise.resolve(),
  close: (): Promise<void> => Promise.resolve(),
};

/** The dispatch outcome of a delivery that ran no listener. */
const NOTHING_RAN: FalkorDispatchOutcome = { listeners: 0, failures: [], succeeded: [] };

/** What the processing steps give the answer step. */
interface FalkorProcessed {
  readonly outcome: FalkorDispatchOutcome;
  readonly records: FalkorRecordsOutcome | undefined;
}

/** The record of changes of a module whose record events are off: nothing is tracked. */
const NO_RECORDS = {
  reserve: (): Promise<FalkorRecordClaim> =>
    Promise.resolve({ held: [], alreadyDone: 0, inFlight: 0 }),
  settle: (): Promise<void> => Promise.resolve(),
  close: (): Promise<void> => Promise.resolve(),
};

/**
 * Receives one delivery from request to receipt, as the pipeline of one import of
 * `FalkorWebhookModule`: admit → verify → decode → validate → reserve → detect changes →
 * reserve changes → dispatch → settle → answer. In queue mode the route hands the delivery off
 * to the queue after the reserve step, and the worker runs the steps from detect changes on
 * through {@link FalkorWebhookReceiver.work}. Each step is a call into its own room; none calls
 * back up.
 */
@Injectable()
export class FalkorWebhookReceiver
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger('FalkorWebhook');
  private readonly inFlight = new FalkorInFlightDeliveries();
  private readonly validator: FalkorDeliveryValidator;
  private readonly deduplicator: Pick<FalkorDeduplicator, 'reserve' | 'settle' | 'close'>;
  private readonly records: Pick<FalkorRecordClaims, 'reserve' | 'settle' | 'close'>;
  private readonly listening = (type: string) => this.registry.listens(type);

  constructor(
    @Inject(FALKOR_WEBHOOK_SETTINGS) private readonly settings: FalkorWebhookSettings,
    private readonly dispatcher: FalkorEventDispatcher,
    private readonly registry: FalkorListenerRegistry,
    private readonly queue: FalkorDeliveryQueue,
  ) {
    registry.knowTypes(settings.dtos.keys());
    this.validator = new FalkorDeliveryValidator(settings, (message) => this.logger.warn(message));
    this.deduplicator = settings.deduplication
      ? new FalkorDeduplicator(settings.deduplication, this.logger)
      : NOT_DEDUPLICATED;
    this.records = settings.records
      ? new FalkorRecordClaims(settings.records, this.logger)
      : NO_RECORDS;
  }

  /** Logs the configuration warnings found at start-up. */
  onModuleInit(): void {
    for (const warning of this.settings.warnings) {
      this.logger.warn(warning);
    }
  }

  /**
   * Says, once the listeners are known, where record events are remembered when in memory, or
   * that they are off on an endpoint whose app listens to them.
   */
  onApplicationBootstrap(): void {
    this.registry.onApplicationBootstrap();
    const listened = FALKOR_RECORD_EVENT_TYPES.filter(this.listening);
    if (listened.length === 0) {
      return;
    }
    if (this.settings.records === undefined) {
      this.logger.warn(
        `Record events are off ("records: false") on this endpoint, so its deliveries never ` +
          `reach the listeners of ${listened.join(', ')}: remove "records: false" to fire them.`,
      );
    } else if (this.settings.records.storeKind === 'memory') {
      this.logger.log(
        `Record events (${listened.join(', ')}) are remembered in this process's memory: each ` +
          'change fires once per process, and again after a restart. Set "records.store" to a ' +
          'RedisFalkorDeduplicationStore to fire each change once across instances and restarts.',
      );
    }
  }

  /** Refuses new deliveries (503) from the start of shutdown. */
  onModuleDestroy(): void {
    this.inFlight.close();
  }

  /**
   * Waits until every delivery already accepted has got its answer (each listener within
   * `listenerTimeoutMs`), then records pending de-duplication outcomes.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.inFlight.drain();
    await Promise.all([this.deduplicator.close(), this.records.close()]);
  }

  /**
   * Handles one delivery, answering as the webhook route does.
   *
   * @returns the receipt of an accepted delivery
   * @throws HttpException with the status and message of the refusal
   */
  async receive(request: FalkorWebhookRequest): Promise<FalkorWebhookReceipt> {
    if (this.settings.queue?.role === 'worker') {
      // A worker-only app has no webhook route: it answers as Nest does for an unknown one.
      throw new NotFoundException(`Cannot POST ${request.originalUrl ?? request.url ?? ''}`);
    }
    try {
      return await this.pipeline(request, () => verifyFalkorRequest(request, this.settings));
    } catch (error) {
      throw falkorRefusal(error, this.logger);
    }
  }

  /**
   * The pipeline without the signature check, for the test kit's `dispatchFalkorEvent` only: it
   * is not public API. A refusal is thrown as the module's own error, not as an HTTP answer.
   *
   * @internal
   */
  receiveUnsigned(
    request: FalkorWebhookRequest,
    verified: FalkorVerifiedRequest,
  ): Promise<FalkorWebhookReceipt> {
    return this.pipeline(request, () => verified);
  }

  /**
   * Processes one delivery the route stored in the queue, for the queue's worker: the steps
   * after the hand-off, with the listeners that succeeded in an earlier attempt left out. It
   * never throws: a failure says what to keep in the job for the next attempt.
   *
   * @param delivery - the job's data
   * @internal
   */
  async work(delivery: FalkorQueuedDelivery): Promise<FalkorWorkResult> {
    const { verified, request, receivedAt } = falkorDeliveryOfJob(delivery);
    let done = delivery.done;
    try {
      const body = parseFalkorBody(verified.rawBody);
      const { type, payload } = await this.validator.validate(body, request);
      if (payload === undefined) {
        return { state: 'done', result: falkorReceipt(type, NOTHING_RAN) };
      }
      const event = falkorWebhookEvent(type, payload, verified, request, receivedAt);
      const { outcome, records } = await this.process(event, request, new Set(done));
      done = [...done, ...outcome.succeeded];
      return { state: 'done', result: falkorReceipt(type, outcome, records) };
    } catch (error) {
      logFalkorRefusal(error, this.logger);
      return falkorWorkFailure(error, done);
    }
  }

  /** The steps of one delivery, top to bottom; a refusal is thrown as the module's error. */
  private async pipeline(
    request: FalkorWebhookRequest,
    verify: () => FalkorVerifiedRequest | Promise<FalkorVerifiedRequest>,
  ): Promise<FalkorWebhookReceipt> {
    if (!this.inFlight.enter()) {
      throw new FalkorShuttingDownError(SHUTDOWN_RETRY_AFTER_SECONDS);
    }
    try {
      const receivedAt = new Date();
      const verified = await verify();
      if (Logger.isLevelEnabled('debug')) {
        this.logger.debug(falkorVerifiedMessage(verified));
      }
      const body = parseFalkorBody(verified.rawBody);
      const { type, payload } = await this.validator.validate(body, request);
      if (payload === undefined) {
        return falkorReceipt(type, NOTHING_RAN);
      }
      const event = falkorWebhookEvent(type, payload, verified, request, receivedAt);
      const reservation = await this.deduplicator.reserve(event, verified.rawBody);
      if (reservation.state === 'duplicate') {
        return falkorReceipt(type, 'duplicate');
      }
      let succeeded = false;
      try {
        if (this.settings.queue !== undefined) {
          const id = falkorDeliveryKey(verified.rawBody);
          await this.queue.enqueue(
            id,
            falkorQueuedDelivery(type, payload, verified, request, receivedAt),
          );
          succeeded = true;
          return falkorQueuedReceipt(type, id);
        }
        const { outcome, records } = await this.process(event, request);
        const receipt = falkorReceipt(type, outcome, records);
        succeeded = true;
        if (receipt.listeners === 0 && records === undefined) {
          this.validator.unobserved(type);
        }
        return receipt;
      } finally {
        await this.deduplicator.settle(reservation, succeeded);
      }
    } finally {
      this.inFlight.leave();
    }
  }

  /**
   * The processing steps, inline or in the worker: detect the record changes, reserve them,
   * dispatch the delivery and its changes, record how the changes ended.
   */
  private async process(
    event: FalkorWebhookEvent,
    request: FalkorWebhookRequest,
    skip?: ReadonlySet<string>,
  ): Promise<FalkorProcessed> {
    const changes = this.changesOf(event);
    const claim = await this.records.reserve(changes ?? []);
    const [outcome, changed] = await Promise.all([
      // A delivery holding a change in flight elsewhere is answered 409 and comes again: its
      // own listeners run then, once, not now and again.
      claim.inFlight > 0
        ? NOTHING_RAN
        : this.dispatcher.dispatch(event, this.settings.listenerTimeoutMs, request, skip),
      this.dispatcher.dispatchChanges(
        claim.held,
        event,
        this.settings.listenerTimeoutMs,
        this.settings.records?.concurrency ?? 1,
        request,
      ),
    ]);
    await this.records.settle(claim, changed.succeeded);
    const records = this.settings.records;
    return {
      outcome,
      records:
        changes && records
          ? {
              claim,
              outcome: changed,
              inFlightStatus: records.inFlightStatus,
              retryAfterSeconds: records.retryAfterSeconds,
            }
          : undefined,
    };
  }

  /**
   * The detect step: the record changes of a delivery whose type has record events with
   * listeners, or `undefined` when none of its record events is listened to (nothing is tracked).
   */
  private changesOf(event: FalkorWebhookEvent): FalkorRecordChange[] | undefined {
    const records = this.settings.records;
    const tracked = FALKOR_RECORD_EVENT_TYPES.some(
      (name) => FALKOR_RECORD_EVENTS[name] === event.type && this.listening(name),
    );
    if (records === undefined || !tracked) {
      return undefined;
    }
    return falkorRecordChanges(event.type, event.payload, this.listening, records.keyPrefix);
  }
}
