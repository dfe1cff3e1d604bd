import { Type } from 'class-transformer';
import {
  IsDefined,
  IsEmail,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

// The rules of the package's event catalog, written as one writes them without the package:
// class-validator's stock decorators on each property.

class UserDto {
  @IsString()
  @IsNotEmpty()
  id: string;

  @IsOptional()
  @IsEmail()
  email?: string;

  @IsOptional()
  @IsString()
  firstName?: string;

  @IsOptional()
  @IsString()
  lastName?: string;
}

class PathwayDto {
  @IsString()
  @IsNotEmpty()
  id: string;

  @IsOptional()
  @IsString()
  name?: string;
}

class EventDto {
  @IsString()
  @IsNotEmpty()
  event: string;

  @IsISO8601({ strict: true })
  occurredAt: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => UserDto)
  user: UserDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PathwayDto)
  pathway: PathwayDto;
}

class EnrolmentDto {
  @IsString()
  @IsNotEmpty()
  id: string;

  @IsString()
  @IsNotEmpty()
  status: string;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  progress?: number;

  @IsOptional()
  @IsUrl({ require_tld: false })
  url?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  enrolledAt?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  completedAt?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  dueAt?: string;
}

class EnrolmentEventDto extends EventDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => EnrolmentDto)
  enrolment: EnrolmentDto;
}

class ActivityDto {
  @IsString()
  @IsNotEmpty()
  id: string;

  @IsOptional()
  @IsString()
  title?: string;

  @IsOptional()
  @IsString()
  type?: string;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  score?: number;

  @IsOptional()
  @IsISO8601({ strict: true })
  completedAt?: string;
}

class ActivityEventDto extends EventDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ActivityDto)
  activity: ActivityDto;
}

class SessionDto {
  @IsString()
  @IsNotEmpty()
  id: string;

  @IsIn(['classroom', 'event'])
  kind: string;

  @IsOptional()
  @IsString()
  title?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  startsAt?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  endsAt?: string;

  @IsOptional()
  @IsString()
  location?: string;
}

class AttendanceEventDto extends EventDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SessionDto)
  session: SessionDto;
}

class RewardDto {
  @IsString()
  @IsNotEmpty()
  id: string;

  @IsOptional()
  @IsString()
  kind?: string;

  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  points?: number;

  @IsOptional()
  @IsISO8601({ strict: true })
  unlockedAt?: string;
}

class RewardEventDto extends EventDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RewardDto)
  reward: RewardDto;
}

/** The hand-written DTO of each event type, for `ValidationPipe` to validate the body with. */
export const NAIVE_DTOS: Readonly<Record<string, new () => EventDto>> = {
  'enrolment.created': EnrolmentEventDto,
  'enrolment.completed': EnrolmentEventDto,
  'activity.completed': ActivityEventDto,
  'attendance.registered': AttendanceEventDto,
  'attendance.checked_in': AttendanceEventDto,
  'reward.unlocked': RewardEventDto,
};

/** The base class of the hand-written DTOs. */
export { EventDto as NaiveEventDto };
