-- What the parser could not read for certain, per report, with the span it concerns.
select * from {{ ref('stg_parsed__parse_issues') }}
