-- The distinct sentences (10+ characters) of each parsed report, as 64-bit hashes: the compact input of the
-- text_repeated_from_prior_year check, which compares an agency's report with its report of the year before.
-- Sentences end at 。!? or a line break. Split in a projection, not a lateral join (DuckDB copies each whole
-- text per row in the lateral form); translate + string_split is the regex split [。!?\n] without a regex.
-- Incremental by report: splitting every text is the costly part, and it depends on the report alone.
{{ refresh_by_report() }}

with reports as (
    select
        report_id,
        normalized_text
    from {{ ref('stg_parsed__reports') }}
    where parse_status <> 'rejected' and {{ changed_or_missing_reports('report_id') }}
),

split_texts as (
    select
        report_id,
        trim(unnest(string_split(translate(normalized_text, e'!?\n', '。。。'), '。'))) as sentence
    from reports
),

final as (
    select
        report_id,
        list_distinct(list(hash(sentence))) as sentence_hashes
    from split_texts
    where length(sentence) >= 10
    group by report_id
)

select * from final
