import { Inject, Injectable, Logger, type OnModuleInit, Optional } from '@nestjs/common';
import { ContextIdFactory, DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { FalkorConfigurationError } from '../../core/errors/falkor-webhook.errors.js';
import type { FalkorWebhookEvent } from '../../events/falkor-webhook.event.js';
import { FALKOR_WEBHOOK_SETTINGS } from '../falkor-webhook.tokens.js';
import type { FalkorWebhookSettings } from '../falkor-webhook.settings.js';
import {
  FALKOR_LISTENER_METADATA,
  type FalkorListenerMetadata,
} from './on-falkor-event.decorator.js';
import {
  falkorRequestOf,
  falkorEventName,
  FalkorListenerOutcome,
} from './falkor-listener.outcome.js';

type Listener = (
  event: FalkorWebhookEvent,
) => FalkorListenerOutcome | Promise<FalkorListenerOutcome>;

const registeredEmitters = new WeakSet<EventEmitter2>();
const requestScopedEmitters = new WeakSet<EventEmitter2>();

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Wraps a listener so that it reports how it ended instead of throwing: synchronously when it
 * returns synchronously (no promise is made for it), once settled when it returns a promise.
 */
function settling(name: string, run: (event: FalkorWebhookEvent) => unknown): Listener {
  const succeeded = new FalkorListenerOutcome(name, false);
  const failed = (error: unknown) => new FalkorListenerOutcome(name, true, error);
  return (event) => {
    let result: unknown;
    try {
      result = run(event);
    } catch (error) {
      return failed(error);
    }
    return isThenable(result) ? Promise.resolve(result).then(() => succeeded, failed) : succeeded;
  };
}

/**
 * Finds every `@OnFalkorEvent` method of the application's providers and controllers once, at
 * start-up, and subscribes it to the event emitter with a wrapper that reports its outcome instead
 * of throwing, so that the module can answer 500 when any listener fails whatever the emitter's
 * `suppressErrors` setting. Request-scoped providers get a fresh instance per delivery.
 */
@Injectable()
export class FalkorListenerRegistry implements OnModuleInit {
  private readonly logger = new Logger('FalkorWebhook');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly moduleRef: ModuleRef,
    @Inject(FALKOR_WEBHOOK_SETTINGS) private readonly settings: FalkorWebhookSettings,
    @Optional() private readonly emitter?: EventEmitter2,
  ) {
    this.requireEmitter();
  }

  /** Subscribes the listeners, once per event emitter. */
  onModuleInit(): void {
    const emitter = this.requireEmitter();
    if (registeredEmitters.has(emitter)) {
      return;
    }
    registeredEmitters.add(emitter);
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

  /** Whether a request-scoped listener is subscribed: deliveries then need their request. */
  get needsRequests(): boolean {
    return this.emitter !== undefined && requestScopedEmitters.has(this.emitter);
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
    const instance = wrapper.instance as Record<string, (event: FalkorWebhookEvent) => unknown>;
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
    if (!isStatic) {
      requestScopedEmitters.add(emitter);
    }
    const listener = isStatic
      ? this.staticListener(name, instance, key)
      : this.contextualListener(name, wrapper, key);
    for (const { types, options } of subscriptions) {
      for (const type of types) {
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
    if (this.settings.dtos.has(type)) {
      return;
    }
    throw new FalkorConfigurationError(
      `@OnFalkorEvent(${JSON.stringify(type)}) on ${listener}: no DTO handles ${JSON.stringify(type)}, ` +
        `so no delivery would ever reach it. Listen to one of ${[...this.settings.dtos.keys()].join(', ')}, ` +
        `or add its DTO: FalkorWebhookModule.forRoot({ events: { ${JSON.stringify(type)}: YourPayloadDto } }) ` +
        "and declare it in FalkorEventMap (declare module 'nestjs-falkor-webhook').",
    );
  }

  private staticListener(
    name: string,
    instance: Record<string, (event: FalkorWebhookEvent) => unknown>,
    key: string,
  ): Listener {
    return settling(name, (event) => instance[key](event));
  }

  private contextualListener(name: string, wrapper: InstanceWrapper, key: string): Listener {
    return settling(name, async (event) => {
      const request = falkorRequestOf(event) as object;
      const contextId = ContextIdFactory.getByRequest(request);
      this.moduleRef.registerRequestByContextId(request, contextId);
      const instance: Record<string, (event: FalkorWebhookEvent) => unknown> =
        await this.moduleRef.resolve(wrapper.token, contextId, { strict: false });
      return instance[key](event);
    });
  }
}
