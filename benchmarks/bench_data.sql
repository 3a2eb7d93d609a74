-- Synthetic raw tables for the build benchmark, written straight into raw.* (the ingest's output
-- shape, docs/warehouse.md). Parameters are substituted by bench_build.py as prepared-statement
-- values through a one-row table `bench_params` (n_orders, seed, open_days); bhash() keeps it
-- deterministic. open_days: a complaint can still be open only when its order line is within that
-- many days of the last order day (null: open at every age, the older synthetic warehouse).

create or replace temp macro bhash(x) as cast(hash(x) % 1000000007 as bigint);

create or replace table raw.merchants as
select
    'M' || lpad(i::varchar, 5, '0') as merchant_id,
    'Merchant ' || i as merchant_name,
    ['home', 'apparel', 'electronics', 'beauty', 'food'][1 + i % 5] as category,
    date '2022-01-01' + cast(i as integer) as onboarded_on,
    'bench' as _file_id, i as _row_number, now() as _ingested_at
from range(1, 201) as t(i);

create or replace table raw.skus as
select
    'SKU' || lpad(i::varchar, 6, '0') as sku_id,
    'M' || lpad((1 + i % 200)::varchar, 5, '0') as merchant_id,
    'Product ' || i as sku_name,
    'cat' || (i % 12) as category_l1, 'sub' || (i % 40) as category_l2, 'brand' || (i % 90) as brand,
    'bench' as _file_id, i as _row_number, now() as _ingested_at
from range(1, 4001) as t(i);

create or replace table raw.orders as
with lines as (
    select
        i,
        1 + (bhash(i * 7 + (select seed from bench_params)) % 4000) as sku_no
    from range((select n_orders from bench_params)) as t(i)
)
select
    'O' || i as order_id,
    'SKU' || lpad(sku_no::varchar, 6, '0') as sku_id,
    'M' || lpad((1 + sku_no % 200)::varchar, 5, '0') as merchant_id,
    1 + (bhash(i) % 3)::integer as quantity,
    cast(10 + (bhash(i + 1) % 50000) / 100.0 as decimal(18, 2)) as paid_amount,
    timestamptz '2025-11-24 00:00:00+08' + to_microseconds(cast(i * (364.0 * 86400e6 / (select n_orders from bench_params)) as bigint)) as ordered_at,
    timestamptz '2025-11-24 00:00:00+08' + to_microseconds(cast(i * (364.0 * 86400e6 / (select n_orders from bench_params)) as bigint) + 86400000000) as shipped_at,
    timestamptz '2025-11-24 00:00:00+08' + to_microseconds(cast(i * (364.0 * 86400e6 / (select n_orders from bench_params)) as bigint) + 259200000000) as delivered_at,
    'U' || (bhash(i + 2) % 2000000) as buyer_id,
    'province' || (i % 31) as province,
    'carrier' || (i % 8) as carrier,
    'bench' as _file_id, i as _row_number, now() as _ingested_at
from lines;

create or replace table raw.complaints as
with picked as (
    select order_id, sku_id, merchant_id, ordered_at, _row_number as i
    from raw.orders
    where bhash(_row_number + 99) % 40 = 0
)
select
    'C' || i as complaint_id,
    order_id,
    sku_id,
    case when i % 50 = 0 then null else merchant_id end as merchant_id,
    ['app', 'web_form', 'hotline', 'social_media'][1 + (bhash(i + 3) % 4)] as channel,
    ordered_at + to_microseconds(86400000000 * (3 + bhash(i + 4) % 20)) as received_at,
    case when bhash(i + 5) % 10 = 0 then null
        else ['quality_defect', 'cosmetic_flaw', 'counterfeit', 'transport_damage', 'misuse', 'misunderstanding', 'other'][1 + (bhash(i + 6) % 7)]
    end as issue_type,
    ['merchant', 'logistics', 'buyer', 'platform', 'undetermined'][1 + (bhash(i + 7) % 5)] as responsibility,
    'return_refund' as remedy,
    cast(bhash(i + 8) % 10000 / 100.0 as decimal(18, 2)) as refund_amount,
    cast(0 as decimal(18, 2)) as compensation_amount,
    case
        when bhash(i + 9) % 20 = 0 then 'withdrawn'
        when bhash(i + 9) % 20 < 3
            and coalesce(
                ordered_at >= timestamptz '2025-11-24 00:00:00+08'
                    + to_microseconds(86400000000 * (364 - (select open_days from bench_params))),
                true
            )
            then 'open'
        else 'closed'
    end as status,
    cast(1 + bhash(i + 10) % 5 as integer) as satisfaction,
    'description' as description,
    cast(bhash(i + 11) % 4 as integer) as evidence_count,
    null as buyer_phone_hash,
    null as buyer_phone_masked,
    ordered_at + to_microseconds(86400000000 * (10 + bhash(i + 4) % 20)) as updated_at,
    'bench' as _file_id, i as _row_number, now() as _ingested_at
from picked;

create or replace table raw.complaint_events as
with steps as (
    select * from (values
        ('received', 0), ('acknowledged', 1), ('merchant_notified', 20),
        ('merchant_evidence_submitted', 60), ('classified', 70), ('remedy_executed', 150),
        ('closed', 160)
    ) as s(event_type, offset_hours)
)
select
    complaints.complaint_id,
    steps.event_type,
    complaints.received_at + to_microseconds(cast(3600e6 * steps.offset_hours * (0.5 + (bhash(complaints._row_number + steps.offset_hours) % 100) / 100.0) as bigint)) as occurred_at,
    'agent' as actor,
    null as note,
    'bench' as _file_id, complaints._row_number as _row_number, now() as _ingested_at
from raw.complaints as complaints
cross join steps
where complaints.status = 'closed' or steps.offset_hours < 30;

create or replace table raw.corrective_actions as
select
    'CA' || i as action_id,
    'M' || lpad((1 + i % 200)::varchar, 5, '0') as merchant_id,
    case when i % 4 = 0 then null else 'SKU' || lpad((i * 37 % 4000 + 1)::varchar, 6, '0') end as sku_id,
    'quality_defect' as issue_type,
    'process_fix' as action_type,
    timestamptz '2026-02-01 09:00:00+08' + to_microseconds(86400000000 * (i * 3)) as opened_at,
    timestamptz '2026-02-20 09:00:00+08' + to_microseconds(86400000000 * (i * 3)) as completed_at,
    'bench' as _file_id, i as _row_number, now() as _ingested_at
from range(1, 61) as t(i);

create schema if not exists meta;
create or replace table meta.file_ledger (file_id varchar, file_name varchar, entity varchar, format varchar, encoding varchar, profile varchar, rows_read bigint, rows_loaded bigint, rows_quarantined bigint, rows_duplicate bigint, status varchar, reason varchar, extra_columns varchar, ingested_at timestamptz);
insert into meta.file_ledger values ('bench', 'bench.csv', 'orders', 'csv', 'utf-8', 'canonical', 0, 0, 0, 0, 'loaded', null, null, now());
create or replace table meta.quarantine (file_id varchar, file_name varchar, row_number bigint, field varchar, reason varchar, raw_values varchar, quarantined_at timestamptz);
create or replace table meta.dq_warnings (file_id varchar, file_name varchar, row_number bigint, field varchar, reason varchar, raw_value varchar, warned_at timestamptz);
create or replace table meta.expectation_results (file_id varchar, file_name varchar, entity varchar, suite varchar, expectation varchar, column_name varchar, success boolean, element_count bigint, unexpected_count bigint, observed varchar, validated_at timestamptz);
