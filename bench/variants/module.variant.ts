import { Injectable, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { FalkorWebhookModule, OnFalkorEvent } from 'nestjs-falkor-webhook';
import { BENCH_PATH, BENCH_SECRET } from '../bench.config.js';

@Injectable()
class NoopListeners {
  @OnFalkorEvent('enrolment.created')
  onEnrolmentCreated(): void {}

  @OnFalkorEvent('enrolment.completed')
  onEnrolmentCompleted(): void {}

  @OnFalkorEvent('activity.completed')
  onActivityCompleted(): void {}

  @OnFalkorEvent('attendance.registered')
  onAttendanceRegistered(): void {}

  @OnFalkorEvent('attendance.checked_in')
  onAttendanceCheckedIn(): void {}

  @OnFalkorEvent('reward.unlocked')
  onRewardUnlocked(): void {}
}

/** This package: FalkorWebhookModule with one no-op listener per catalog event type. */
@Module({
  imports: [
    EventEmitterModule.forRoot(),
    FalkorWebhookModule.forRoot({ secret: BENCH_SECRET, path: BENCH_PATH }),
  ],
  providers: [NoopListeners],
})
export class ModuleBenchModule {}
