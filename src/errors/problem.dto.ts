import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SourceReportDto } from '../sub-orgs/dto/listing-response.dto.js';
import type { FieldError } from './gateway.exception.js';
import type { ProblemDocument } from './problem.js';

export class FieldErrorDto implements FieldError {
  @ApiProperty({ example: 'pageSize' })
  field!: string;

  @ApiProperty({ example: 'pageSize must be at most 100' })
  message!: string;
}

export class ProblemDto implements ProblemDocument {
  @ApiProperty({ example: 'urn:suborg-gateway:problem:invalid-request', description: 'A URN naming the kind of problem, or `about:blank`.' })
  type!: string;

  @ApiProperty({ example: 'Invalid request' })
  title!: string;

  @ApiProperty({ type: 'integer', example: 400 })
  status!: number;

  @ApiProperty({ example: 'pageSize: pageSize must be at most 100' })
  detail!: string;

  @ApiPropertyOptional({ example: '/v1/sub-orgs' })
  instance?: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'One entry per invalid parameter (400 only).' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ type: [SourceReportDto], description: 'Each requested source and why it failed (502 only).' })
  sources?: SourceReportDto[];

  @ApiPropertyOptional({ description: 'Opaque id of an unexpected error, also written to the log (500 only).' })
  errorId?: string;
}
