import { type DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { FalkorWebhookModule } from 'nestjs-falkor-webhook';
import { AttendanceListener } from './listeners/attendance.listener.js';
import { EnrolmentListener } from './listeners/enrolment.listener.js';
import { RewardListener } from './listeners/reward.listener.js';

/**
 * The sample application: the webhook route at POST /webhooks/falkor and one listener per webhook.
 */
@Module({})
export class AppModule {
  /**
   * @param secret - the webhook secret
   */
  static register(secret: string): DynamicModule {
    return {
      module: AppModule,
      imports: [EventEmitterModule.forRoot(), FalkorWebhookModule.forRoot({ secret })],
      providers: [EnrolmentListener, AttendanceListener, RewardListener],
    };
  }
}
