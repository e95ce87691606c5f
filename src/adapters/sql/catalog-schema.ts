import type { Migration } from './migrations.js'

/**
 * Catalog tables. Search columns are computed in TypeScript by the shared normaliser (the same code the
 * memory index runs), so both adapters match and rank identically:
 * - `tsv`: stems and unstemmed words with positions, written as a tsvector literal (no parser/dictionary
 *   runs in the database, so no `unaccent` or text search config is needed); GIN-indexed.
 * - `search_pad`: `' ' + stemmed tokens + ' '`, for the rank features (first position, phrase).
 * - `code_key` (lower-case code, prefix-searchable), `code_sort` (natural order key, `C` collation).
 * - `cat_mask`: categories present among the components (TK=1, BHN=2, ALT=4, LAIN=8).
 * - `content_hash`: fields + components, to leave unchanged jobs untouched on re-import.
 * `catalog_words` is the vocabulary (every indexed lexeme with its trigrams) for the fuzzy fallback.
 */
export const CATALOG_MIGRATIONS: readonly Migration[] = [
  {
    id: 'catalog-001',
    sql: `
      create table if not exists catalog_jobs (
        id bigserial primary key,
        source text not null,
        code text not null,
        name text not null,
        unit text not null default '',
        classification text not null default '',
        sub_classification text not null default '',
        code_key text collate "C" not null,
        code_sort text collate "C" not null,
        search_pad text not null,
        tsv tsvector not null,
        cat_mask smallint not null default 0,
        content_hash text not null,
        unique (source, code)
      );
      create index if not exists catalog_jobs_tsv_idx on catalog_jobs using gin (tsv);
      create index if not exists catalog_jobs_code_key_idx on catalog_jobs (code_key);
      create table if not exists catalog_components (
        job_id bigint not null references catalog_jobs (id) on delete cascade,
        ord integer not null,
        category text not null check (category in ('TK', 'BHN', 'ALT', 'LAIN')),
        item_code text not null default '',
        description text not null default '',
        unit text not null default '',
        coefficient numeric not null,
        primary key (job_id, ord)
      );
      create table if not exists catalog_words (
        word text collate "C" primary key,
        trigrams text[] not null
      );
      create index if not exists catalog_words_trigrams_idx on catalog_words using gin (trigrams);
      create table if not exists catalog_meta (
        id boolean primary key default true check (id),
        generation bigint not null default 0
      );
      insert into catalog_meta (id) values (true) on conflict do nothing;
    `,
  },
  {
    // The query-independent ranking order (ranking.ts features 3–4): one-word queries walk it and stop
    // after a page instead of ranking every match.
    id: 'catalog-002',
    sql: `create index if not exists catalog_jobs_static_idx
            on catalog_jobs (length(search_pad), code_sort, code collate "C", source collate "C")`,
  },
  {
    // Document frequency per word and the job count: the search picks its plan from them.
    id: 'catalog-003',
    sql: `alter table catalog_words add column if not exists df integer not null default 0;
          alter table catalog_meta add column if not exists jobs bigint not null default 0;`,
  },
  {
    // Items: the distinct (category, item code, description, unit) of the components, searchable like
    // names (same derived columns: `code` = item code, `source` = the identity string, the last order key),
    // with the jobs using each (`catalog_item_jobs`) for `in=components` and the `jobs` count.
    id: 'catalog-004',
    sql: `
      create table if not exists catalog_items (
        id bigserial primary key,
        category text not null,
        item_code text not null,
        description text not null,
        unit text not null,
        code text collate "C" not null,
        source text collate "C" not null unique,
        code_key text collate "C" not null,
        code_sort text collate "C" not null,
        search_pad text not null,
        tsv tsvector not null,
        cat_mask smallint not null,
        jobs integer not null default 0
      );
      create index if not exists catalog_items_tsv_idx on catalog_items using gin (tsv);
      create index if not exists catalog_items_static_idx
        on catalog_items (length(search_pad), code_sort, code collate "C", source collate "C");
      create table if not exists catalog_item_jobs (
        item_id bigint not null references catalog_items (id) on delete cascade,
        job_id bigint not null references catalog_jobs (id) on delete cascade,
        primary key (item_id, job_id)
      );
      create index if not exists catalog_item_jobs_job_idx on catalog_item_jobs (job_id);
      alter table catalog_words add column if not exists item_df integer not null default 0;
      alter table catalog_meta add column if not exists items bigint not null default 0;
      alter table catalog_meta add column if not exists items_built boolean not null default false;
    `,
  },
  {
    // Which normaliser derived the stored search columns (domain/search/normalise.ts NORMALISER_VERSION):
    // 1 = everything imported before the column existed.
    id: 'catalog-005',
    sql: `alter table catalog_meta add column if not exists normaliser integer not null default 1`,
  },
  {
    // Stored rank inputs (catalog-reindex.ts fills them: `layout` 0 = derived before they existed):
    // `head` (ranking.ts headWord) for the lead feature, read instead of a regex per matching row;
    // `root` of a word = its stem when every document holding the word holds the stem too, so a clause
    // whose alternatives include that stem can drop the word (same matches, fewer posting lists, and
    // often an exact total from one document frequency).
    id: 'catalog-006',
    sql: `
      alter table catalog_jobs add column if not exists head text collate "C" not null default '';
      alter table catalog_items add column if not exists head text collate "C" not null default '';
      alter table catalog_words add column if not exists root text collate "C";
      alter table catalog_meta add column if not exists layout integer not null default 0;
    `,
  },
  {
    // Layout 2. `head_df`: jobs whose head word each word is (how dense the jobs a query ranks first are).
    // `job_bits`: the jobs using an item as a bit string indexed by job id, for the items many jobs use
    // (catalog-items.ts): `in=components` counts the jobs of broad items by OR-ing them.
    id: 'catalog-007',
    sql: `alter table catalog_words add column if not exists head_df integer not null default 0;
          alter table catalog_items add column if not exists job_bits bit varying;`,
  },
  {
    // The rows a query's lead feature picks (head = its first word), read whole beside the static-order
    // window when few (catalog-page.ts), instead of ranking every match.
    id: 'catalog-008',
    sql: `create index if not exists catalog_jobs_head_idx on catalog_jobs (head)`,
  },
  {
    // Layout 3. Each link carries its job's static order key, so `in=components` reads the first jobs of each
    // matching item from this index in static order (catalog-page.ts componentPage) instead of every linked job.
    id: 'catalog-009',
    sql: `
      alter table catalog_item_jobs add column if not exists job_len integer;
      alter table catalog_item_jobs add column if not exists job_sort text collate "C";
      alter table catalog_item_jobs add column if not exists job_code text collate "C";
      alter table catalog_item_jobs add column if not exists job_source text collate "C";
      create index if not exists catalog_item_jobs_static_idx
        on catalog_item_jobs (item_id, job_len, job_sort, job_code, job_source) include (job_id);
    `,
  },
]
