/**
 * The `peer` benchmark's straightforward BFF: what a user would write instead
 * of this gateway, in about 200 lines. NestJS + @nestjs/axios, both upstreams
 * walked 4 pages at a time on the first request, records mapped and kept in
 * arrays, then filtered and sorted per request. No index, no cache, no
 * snapshots, no originals, no resilience: it keeps every optimisation of the
 * gateway honest against this.
 */
import 'reflect-metadata';
import { HttpModule, HttpService } from '@nestjs/axios';
import { Controller, Get, Injectable, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { firstValueFrom } from 'rxjs';

interface Org {
  id: string;
  provider: 'invent' | 'bv';
  name: string;
  status: string;
  type: string | null;
  plan: string | null;
  ownerEmail: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

type Raw = Record<string, unknown>;
const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const STATUS: Record<string, string> = {
  ORGANIZATION_STATUS_ACTIVATED: 'active',
  ORGANIZATION_STATUS_VERIFYING: 'pending',
  ORGANIZATION_STATUS_FAIL_TO_VERIFY: 'verification_failed',
  ORGANIZATION_STATUS_DEACTIVATED: 'inactive',
  ORGANIZATION_STATUS_DELETING: 'deleting',
  ORGANIZATION_STATUS_DELETED: 'deleted',
  ORGANIZATION_STATUS_ACTIVATION_SCHEDULED: 'scheduled',
};
const TYPE: Record<string, string> = {
  ORGANIZATION_TYPE_ROOT: 'root',
  ORGANIZATION_TYPE_GENERAL_DISTRIBUTOR: 'distributor',
  ORGANIZATION_TYPE_RESELLER: 'reseller',
  ORGANIZATION_TYPE_BUSINESS: 'business',
};

function fromInvent(raw: Raw): Org {
  const admin = Array.isArray(raw.members) ? (raw.members as Raw[]).find((member) => member.role === 'ADMIN') : undefined;
  return { id: `invent:${String(raw.id)}`, provider: 'invent', name: String(raw.name), status: 'active', type: null, plan: str(raw.plan), ownerEmail: str(admin?.email), createdAt: str(raw.created_at), updatedAt: null };
}

function fromBv(raw: Raw): Org {
  const owner = raw.owner as Raw | undefined;
  return {
    id: `bv:${String(raw.id)}`,
    provider: 'bv',
    name: String(raw.name),
    status: STATUS[String(raw.status)] ?? 'unknown',
    type: TYPE[String(raw.type)] ?? null,
    plan: str(raw.plan_id) ?? str(raw.business_plan_type),
    ownerEmail: str(owner?.email) ?? str(raw.owner_email),
    createdAt: str(raw.created_at),
    updatedAt: str(raw.updated_at),
  };
}

@Injectable()
class Upstreams {
  private loaded: Promise<Org[]> | undefined;

  constructor(private readonly http: HttpService) {}

  all(): Promise<Org[]> {
    this.loaded ??= Promise.all([this.walkInvent(), this.walkBv()]).then(([invent, bv]) => [...invent, ...bv]);
    return this.loaded;
  }

  private async get<T>(url: string, token: string): Promise<T> {
    return (await firstValueFrom(this.http.get<T>(url, { headers: { authorization: `Bearer ${token}` } }))).data;
  }

  private async walkInvent(): Promise<Org[]> {
    const base = `${process.env.INVENT_BASE_URL}/orgs/c/orgs?take=100&page=`;
    const key = process.env.INVENT_API_KEY!;
    const orgs: Org[] = [];
    let next = 1;
    let done = false;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!done) {
          const page = await this.get<Raw[]>(base + next++, key);
          orgs.push(...page.map(fromInvent));
          if (page.length < 100) done = true;
        }
      }),
    );
    return orgs;
  }

  private async walkBv(): Promise<Org[]> {
    const base = `${process.env.BV_BASE_URL}/bv/org/v1/sub-orgs?items_per_page=100&current_page=`;
    const token = process.env.BV_ACCESS_TOKEN!;
    const first = await this.get<{ organizations: Raw[]; pagination: { total_items: number } }>(base + 1, token);
    const orgs = first.organizations.map(fromBv);
    const pages = Math.ceil(first.pagination.total_items / 100);
    let next = 2;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next <= pages) orgs.push(...(await this.get<{ organizations: Raw[] }>(base + next++, token)).organizations.map(fromBv));
      }),
    );
    return orgs;
  }
}

const collator = new Intl.Collator('und', { sensitivity: 'base' });
const list = (value: string | undefined): string[] | undefined => value?.split(',');

@Controller('v1/sub-orgs')
class SubOrgsController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get()
  async list(
    @Query('q') q?: string,
    @Query('status') status?: string,
    @Query('type') type?: string,
    @Query('plan') plan?: string,
    @Query('sort') sort = 'name',
    @Query('page') page = '1',
    @Query('pageSize') pageSize = '20',
  ) {
    const statuses = list(status);
    const types = list(type);
    const plans = list(plan)?.map((value) => value.toLowerCase());
    const needle = q?.toLowerCase();
    const matching = (await this.upstreams.all()).filter(
      (org) =>
        (needle === undefined || org.name.toLowerCase().includes(needle)) &&
        (statuses === undefined || statuses.includes(org.status)) &&
        (types === undefined || (org.type !== null && types.includes(org.type))) &&
        (plans === undefined || (org.plan !== null && plans.includes(org.plan.toLowerCase()))),
    );
    const descending = sort.startsWith('-');
    const field = descending ? sort.slice(1) : sort;
    matching.sort((a, b) => {
      const order =
        field === 'name'
          ? collator.compare(a.name, b.name)
          : a.createdAt === b.createdAt
            ? 0
            : a.createdAt === null
              ? 1
              : b.createdAt === null
                ? -1
                : a.createdAt < b.createdAt
                  ? -1
                  : 1;
      return (descending ? -order : order) || (a.id < b.id ? -1 : 1);
    });
    const size = Number(pageSize);
    const start = (Number(page) - 1) * size;
    return { data: matching.slice(start, start + size), page: { page: Number(page), pageSize: size, totalItems: matching.length } };
  }
}

@Module({ imports: [HttpModule], controllers: [SubOrgsController], providers: [Upstreams] })
class PeerModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(PeerModule, new FastifyAdapter(), { logger: ['error'] });
  await app.listen(Number(process.env.PORT ?? 3100), '127.0.0.1');
}

void main();
