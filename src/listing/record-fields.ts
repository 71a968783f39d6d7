import type { SubOrg, SubOrgField } from '../domain/sub-org.js';

/** A record with only some of its fields (always its id). */
export type SparseSubOrg = Partial<SubOrg> & Pick<SubOrg, 'id'>;

/** `fields` and `id`, in the canonical order; every field when `fields` is undefined. */
export function pickFields(record: SubOrg, fields: readonly SubOrgField[] | undefined): SparseSubOrg {
  if (fields === undefined) return record;
  const sparse: Record<string, unknown> = { id: record.id };
  for (const field of fields) sparse[field] = record[field];
  return sparse as SparseSubOrg;
}
