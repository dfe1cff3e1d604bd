import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';

// The platform's documented payloads as one writes them without the package: the docs' tables
// turned into classes with class-validator's stock decorators, a `@ValidateNested` and `@Type`
// per nested object and array. They check what the catalog checks, the JSON type of each field;
// like the catalog, they accept any string for the states, e-mail addresses and timestamps
// (a stock `@IsEmail()` would refuse the docs' own `test2@example`).

class PathwayDto {
  @IsOptional()
  @IsString()
  name?: string;

  @IsString()
  ID: string;
}

class LearnerDto {
  @IsOptional()
  @IsString()
  firstname?: string;

  @IsOptional()
  @IsString()
  lastname?: string;

  // Learners may withhold their location.
  @IsOptional()
  @IsString()
  country?: string;

  @IsOptional()
  @IsString()
  city?: string;
}

class EnrolmentStatusDto {
  @IsOptional()
  @IsInt()
  level?: number;

  @IsString()
  state: string;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  progress?: number;

  @IsOptional()
  @IsString()
  version?: string;

  @IsOptional()
  @IsString()
  timestamp?: string;

  @IsOptional()
  @IsString()
  joined?: string;
}

class EnrolmentDto extends LearnerDto {
  @IsString()
  email: string;

  @IsObject()
  @ValidateNested()
  @Type(() => EnrolmentStatusDto)
  status: EnrolmentStatusDto;
}

class AttendeeDto extends LearnerDto {
  @IsString()
  guid: string;

  @IsString()
  state: string;

  @IsOptional()
  @IsString()
  email?: string;
}

class EventDto {
  @IsString()
  ID: string;

  @IsOptional()
  @IsString()
  type?: string;

  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsString()
  start?: string;

  @IsOptional()
  @IsString()
  end?: string;

  @IsOptional()
  @IsObject()
  venue?: Record<string, unknown>;

  // The webhook's example sends numbers; the stock decorators have no "number or string", so
  // this accepts fewer payloads than the catalog (none of the bench's deliveries is affected).
  @IsOptional()
  @IsNumber()
  booked?: number;

  @IsOptional()
  @IsNumber()
  available?: number;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AttendeeDto)
  attendees: AttendeeDto[];
}

class VoucherDto extends LearnerDto {
  @IsString()
  guid: string;

  @IsString()
  state: string;

  @IsOptional()
  @IsString()
  expires?: string;

  @IsOptional()
  @IsString()
  email?: string;
}

class RewardDto {
  @IsString()
  ID: string;

  @IsOptional()
  @IsString()
  name?: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => VoucherDto)
  vouchers: VoucherDto[];
}

/** What the three payloads share: the `type` the DTO is picked by. */
export class NaivePayloadDto {
  @IsString()
  type: string;
}

class EnrolmentsDataDto {
  @IsObject()
  @ValidateNested()
  @Type(() => PathwayDto)
  pathway: PathwayDto;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => EnrolmentDto)
  enrolments: EnrolmentDto[];
}

class EnrolmentsPayloadDto extends NaivePayloadDto {
  @IsObject()
  @ValidateNested()
  @Type(() => EnrolmentsDataDto)
  data: EnrolmentsDataDto;
}

class EventsDataDto {
  @IsObject()
  @ValidateNested()
  @Type(() => PathwayDto)
  pathway: PathwayDto;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => EventDto)
  events: EventDto[];
}

class EventsPayloadDto extends NaivePayloadDto {
  @IsObject()
  @ValidateNested()
  @Type(() => EventsDataDto)
  data: EventsDataDto;
}

class RewardsDataDto {
  @IsObject()
  @ValidateNested()
  @Type(() => PathwayDto)
  pathway: PathwayDto;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RewardDto)
  rewards: RewardDto[];
}

class RewardsPayloadDto extends NaivePayloadDto {
  @IsObject()
  @ValidateNested()
  @Type(() => RewardsDataDto)
  data: RewardsDataDto;
}

/** The hand-written DTO of each webhook, for `ValidationPipe` to validate the body with. */
export const NAIVE_DTOS: Readonly<Record<string, new () => NaivePayloadDto>> = {
  enrolments: EnrolmentsPayloadDto,
  events: EventsPayloadDto,
  rewards: RewardsPayloadDto,
};
