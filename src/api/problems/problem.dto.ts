import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FieldError } from '../../domain/gateway-error.js';
import { SourceReportDto } from '../sources/source-report.dto.js';
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

  @ApiPropertyOptional({ type: [SourceReportDto], description: 'Each requested source and why it has no data (502, 503 only).' })
  sources?: SourceReportDto[];

  @ApiPropertyOptional({ description: 'Opaque id of an unexpected error, also written to the log (500 only).' })
  errorId?: string;
}
