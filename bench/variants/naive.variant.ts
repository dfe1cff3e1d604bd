import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  BadRequestException,
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  HttpCode,
  Injectable,
  Module,
  type PipeTransform,
  Post,
  type RawBodyRequest,
  UnauthorizedException,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import type { IncomingMessage } from 'node:http';
import { BENCH_BODY_LIMIT, BENCH_PATH, BENCH_SECRET } from '../bench.config.js';
import type { BenchVariant } from './bench.variant.js';
import { NAIVE_DTOS, type NaivePayloadDto } from './naive.dtos.js';

@Injectable()
class SignatureGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<RawBodyRequest<IncomingMessage>>();
    const header = request.headers['falkor-webhook-signature'];
    if (typeof header !== 'string' || !header.startsWith('sha256=') || !request.rawBody) {
      throw new UnauthorizedException();
    }
    const expected = createHmac('sha256', BENCH_SECRET).update(request.rawBody).digest();
    const given = Buffer.from(header.slice('sha256='.length), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new UnauthorizedException();
    }
    return true;
  }
}

@Injectable()
class EventValidationPipe implements PipeTransform {
  private readonly validation = new ValidationPipe({ transform: true });

  transform(body: Record<string, unknown>): Promise<NaivePayloadDto> {
    const dto = NAIVE_DTOS[String(body.type)];
    if (!dto) {
      throw new BadRequestException('unknown event type');
    }
    return this.validation.transform(body, { type: 'body', metatype: dto });
  }
}

@Controller(BENCH_PATH)
class NaiveController {
  constructor(private readonly events: EventEmitter2) {}

  @Post()
  @HttpCode(200)
  @UseGuards(SignatureGuard)
  async receive(
    @Body(EventValidationPipe) payload: NaivePayloadDto,
  ): Promise<{ received: true; type: string }> {
    await this.events.emitAsync(`falkor.${payload.type}`, payload);
    return { received: true, type: payload.type };
  }
}

@Injectable()
class NoopListeners {
  @OnEvent('falkor.enrolments')
  onEnrolments(): void {}

  @OnEvent('falkor.events')
  onEvents(): void {}

  @OnEvent('falkor.rewards')
  onRewards(): void {}
}

/**
 * What a user writes by hand without this package: a guard doing HMAC over `req.rawBody` with
 * `timingSafeEqual`, a `ValidationPipe({ transform: true })` on the DTO of the body's `type`
 * (`naive.dtos.ts`), and `emitAsync` to `@OnEvent` listeners.
 */
@Module({
  imports: [EventEmitterModule.forRoot()],
  controllers: [NaiveController],
  providers: [NoopListeners],
})
export class NaiveBenchModule {}

/**
 * The hand-written stack on an app created with `rawBody: true` (for the guard's HMAC), its JSON
 * parser's limit raised so that it takes the snapshot, as its author must.
 */
export const NAIVE_VARIANT: BenchVariant = {
  module: NaiveBenchModule,
  fastifyOptions: { bodyLimit: BENCH_BODY_LIMIT },
  setUpExpress: (app) => app.useBodyParser('json', { limit: BENCH_BODY_LIMIT }),
  setUpFastify: () => undefined,
};
