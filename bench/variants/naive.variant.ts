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
import { BENCH_PATH, BENCH_SECRET } from '../bench.config.js';
import { NAIVE_DTOS, type NaiveEventDto } from './naive.dtos.js';

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

  transform(body: Record<string, unknown>): Promise<NaiveEventDto> {
    const dto = NAIVE_DTOS[String(body.event)];
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
    @Body(EventValidationPipe) event: NaiveEventDto,
  ): Promise<{ received: true; type: string }> {
    await this.events.emitAsync(`falkor.${event.event}`, event);
    return { received: true, type: event.event };
  }
}

@Injectable()
class NoopListeners {
  @OnEvent('falkor.enrolment.created')
  onEnrolmentCreated(): void {}

  @OnEvent('falkor.enrolment.completed')
  onEnrolmentCompleted(): void {}

  @OnEvent('falkor.activity.completed')
  onActivityCompleted(): void {}

  @OnEvent('falkor.attendance.registered')
  onAttendanceRegistered(): void {}

  @OnEvent('falkor.attendance.checked_in')
  onAttendanceCheckedIn(): void {}

  @OnEvent('falkor.reward.unlocked')
  onRewardUnlocked(): void {}
}

/**
 * What a user writes by hand without this package: a guard doing HMAC over `req.rawBody` with
 * `timingSafeEqual`, a `ValidationPipe({ transform: true })` on the event's DTO, and `emitAsync`
 * to `@OnEvent` listeners.
 */
@Module({
  imports: [EventEmitterModule.forRoot()],
  controllers: [NaiveController],
  providers: [NoopListeners],
})
export class NaiveBenchModule {}
