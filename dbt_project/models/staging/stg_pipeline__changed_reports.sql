-- Reports to rebuild in this dbt build: parsed, re-parsed or removed since the last successful build
-- (all of them on a full refresh). Incremental models and the tests on them are scoped by this list.
select
    report_id,
    changed_at
from {{ source('pipeline', 'changed_reports') }}
