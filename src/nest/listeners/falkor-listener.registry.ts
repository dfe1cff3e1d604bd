import { Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { ContextIdFactory, DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { FalkorConfigurationError } from '../../core/errors/falkor-webhook.errors.js';
import type { FalkorWebhookEvent } from '../../events/falkor-webhook.event.js';
import { FALKOR_RECORD_EVENTS } from '../../events/record-events.js';
import {
  type FalkorDeliveryContext,
  falkorEventName,
  FalkorListenerOutcome,
} from './falkor-listener.outcome.js';
import { FalkorListenerTimeoutError } from './listener-timeout.error.js';
import {
  FALKOR_LISTENER_METADATA,
  type FalkorListenerMetadata,
} from './on-falkor-event.decorator.js';

type Listener = (
  event: FalkorWebhookEvent,
) => FalkorListenerOutcome | Promise<FalkorListenerOutcome>;
type Method = (event: FalkorWebhookEvent) => unknown;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Waits for a listener's promise, failing it once its delivery's `listenerTimeoutMs` passed. */
function withinTime(name: string, result: PromiseLike<unknown>, timeoutMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FalkorListenerTimeoutError(name, timeoutMs)), timeoutMs);
    timer.unref();
  });
  return Promise.race([Promise.resolve(result), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Wraps a listener so that it reports how it ended instead of throwing: synchronously when it
 * returns synchronously (no promise is made for it), once settled (or timed out) otherwise.
 */
function settling(
  name: string,
  run: Method,
  contextOf: (event: object) => FalkorDeliveryContext | undefined,
): Listener {
  const succeeded = new FalkorListenerOutcome(name, false);
  const skipped = new FalkorListenerOutcome(name, false, undefined, true);
  const failed = (error: unknown) => new FalkorListenerOutcome(name, true, error);
  return (event) => {
    if (contextOf(event)?.skip?.has(name)) {
      return skipped;
    }
    let result: unknown;
    try {
      result = run(event);
    } catch (error) {
      return failed(error);
    }
    if (!isThenable(result)) {
      return succeeded;
    }
    const timeoutMs = contextOf(event)?.listenerTimeoutMs;
    const settled =
      timeoutMs === undefined ? Promise.resolve(result) : withinTime(name, result, timeoutMs);
    return settled.then(() => succeeded, failed);
  };
}

/**
 * Finds every `@OnFalkorEvent` method of the application's providers and controllers once, at
 * start-up, and subscribes it to the event emitter with a wrapper that reports its outcome instead
 * of throwing, so that the route can answer 5xx when any listener fails whatever the emitter's
 * `suppressErrors` says. One instance serves the whole application (it belongs to a module every
 * import of `FalkorWebhookModule` shares), so it keeps no state outside it. Request-scoped
 * providers get a fresh instance per delivery, resolved in their own module.
 */
@Injectable()
export class FalkorListenerRegistry implements OnApplicationBootstrap {
  private readonly logger = new Logger('FalkorWebhook');
  private readonly knownTypes = new Set<string>();
  private readonly listenedTypes = new Set<string>();
  /** Each delivery's context, kept beside its event rather than on it. */
  private readonly contexts = new WeakMap<object, FalkorDeliveryContext>();
  private readonly contextOf = (event: object) => this.contexts.get(event);
  private subscribed = false;
  private requestScoped = false;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    @Optional() private readonly emitter?: EventEmitter2,
  ) {
    this.requireEmitter();
  }

  /**
   * Declares event types some import of the module has a DTO for, with the record events of
   * their records; called by each receiver when it is created, before the listeners are
   * subscribed.
   *
   * @param types - the types
   */
  knowTypes(types: Iterable<string>): void {
    for (const type of types) {
      this.knownTypes.add(type);
    }
    for (const [event, type] of Object.entries(FALKOR_RECORD_EVENTS)) {
      if (this.knownTypes.has(type)) {
        this.knownTypes.add(event);
      }
    }
  }

  /**
   * Whether an `@OnFalkorEvent` listener of this type is subscribed: record events nobody
   * listens to are not tracked at all.
   *
   * @param type - an event type or record event
   */
  listens(type: string): boolean {
    return this.listenedTypes.has(type);
  }

  /** Subscribes the listeners, once, when every module is initialised. */
  onApplicationBootstrap(): void {
    if (this.subscribed) {
      return;
    }
    this.subscribed = true;
    const emitter = this.requireEmitter();
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const { instance } = wrapper;
      if (!instance || typeof instance !== 'object' || wrapper.isAlias) {
        continue;
      }
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const key of this.scanner.getAllMethodNames(prototype)) {
        this.subscribe(emitter, wrapper, key);
      }
    }
  }

  /**
   * Keeps a delivery's context for the listeners of its event, until the event is dropped.
   *
   * @param event - the event about to be emitted
   * @param context - its request (for request-scoped listeners) and listener timeout
   */
  remember(event: object, context: FalkorDeliveryContext): void {
    this.contexts.set(event, context);
  }

  /** Whether a request-scoped listener is subscribed: deliveries then need their request. */
  get needsRequests(): boolean {
    return this.requestScoped;
  }

  /** The emitter listeners are subscribed to. */
  requireEmitter(): EventEmitter2 {
    if (!this.emitter) {
      throw new FalkorConfigurationError(
        'FalkorWebhookModule dispatches events through @nestjs/event-emitter: add ' +
          'EventEmitterModule.forRoot() to the imports of your root module.',
      );
    }
    return this.emitter;
  }

  private subscribe(emitter: EventEmitter2, wrapper: InstanceWrapper, key: string): void {
    const instance = wrapper.instance as Record<string, Method>;
    const subscriptions: readonly FalkorListenerMetadata[] | undefined = Reflect.getMetadata(
      FALKOR_LISTENER_METADATA,
      instance[key],
    );
    if (!subscriptions) {
      return;
    }
    const name = `${(wrapper.metatype as { name?: string } | undefined)?.name ?? wrapper.name}.${key}`;
    for (const type of subscriptions.flatMap((subscription) => subscription.types)) {
      this.requireDto(name, type);
    }
    const isStatic = wrapper.isDependencyTreeStatic();
    this.requestScoped ||= !isStatic;
    const listener = settling(
      name,
      isStatic ? (event) => instance[key](event) : this.perRequest(wrapper, key),
      this.contextOf,
    );
    for (const { types, options } of subscriptions) {
      for (const type of types) {
        this.listenedTypes.add(type);
        if (options.prependListener) {
          emitter.prependListener(falkorEventName(type), listener);
        } else {
          emitter.on(falkorEventName(type), listener);
        }
      }
    }
    this.logger.debug(`${name} listens to ${subscriptions.flatMap((s) => s.types).join(', ')}`);
  }

  /** A listener of a type without a DTO would never run: that is a start-up error. */
  private requireDto(listener: string, type: string): void {
    if (this.knownTypes.has(type)) {
      return;
    }
    throw new FalkorConfigurationError(
      `@OnFalkorEvent(${JSON.stringify(type)}) on ${listener}: no DTO handles ${JSON.stringify(type)}, ` +
        `so no delivery would ever reach it. Listen to one of ${[...this.knownTypes].join(', ')}, ` +
        `or add its DTO: FalkorWebhookModule.forRoot({ events: { ${JSON.stringify(type)}: YourPayloadDto } }) ` +
        "and declare it in FalkorEventMap (declare module 'nestjs-falkor-webhook').",
    );
  }

  /** Runs a request-scoped listener on the instance of the delivery's request, from its own module. */
  private perRequest(wrapper: InstanceWrapper, key: string): Method {
    const moduleRef = wrapper.host?.providers.get(ModuleRef)?.instance as ModuleRef | undefined;
    if (!moduleRef) {
      throw new FalkorConfigurationError(
        `FalkorWebhookModule cannot find the module of the request-scoped listener ${wrapper.name}.${key}.`,
      );
    }
    return async (event) => {
      const request = this.contextOf(event)?.request ?? {};
      const contextId = ContextIdFactory.getByRequest(request);
      moduleRef.registerRequestByContextId(request, contextId);
      const instance: Record<string, Method> = await moduleRef.resolve(wrapper.token, contextId);
      return instance[key](event);
    };
  }
}
