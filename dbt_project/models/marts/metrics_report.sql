-- One row per canonical report: the counts behind each rate and the rates themselves. Outcome counts come
-- from fct_outcomes' applicant_type = 'total' column; prose-era legacy codes join in through the crosswalk
-- seed when their meaning matches a modern group ('legacy' group codes stay out of every rate).
with reports as (
    select * from {{ ref('dim_report') }}
    where is_canonical and parse_status <> 'rejected'
),

applications as (
    select
        report_id,
        {% for measure in ['new_received', 'carried_over', 'total_processed', 'carried_forward'] -%}
            max({{ measure }}) filter (where applicant_type = 'total') as {{ measure }},
        {% endfor -%}
    {% for applicant_type in ['natural_person', 'commercial_enterprise', 'research_institution',
                              'social_welfare_org', 'legal_service_org', 'other_org'] -%}
        max(new_received) filter (where applicant_type = '{{ applicant_type }}') as new_received_{{ applicant_type }}
        {{- "," if not loop.last }}
    {% endfor %}
    from {{ ref('fct_applications') }}
    group by report_id
),

outcomes as (
    select
        fct_outcomes.report_id,
        fct_outcomes.outcome_group,
        coalesce(crosswalk.modern_outcome_code, fct_outcomes.outcome_code) as outcome_code,
        fct_outcomes.outcome_code like 'legacy\_%' escape '\' as is_legacy_code,
        fct_outcomes.count
    from {{ ref('fct_outcomes') }} as fct_outcomes
    left join {{ ref('legacy_outcome_crosswalk') }} as crosswalk on fct_outcomes.outcome_code = crosswalk.legacy_code
    where fct_outcomes.applicant_type = 'total' and fct_outcomes.outcome_group <> 'legacy'
),

-- A group's count is the sum of its rows only when every row of it is stated: one blank row makes the
-- group unknown (summing the rest would turn the blank into 0).
outcome_groups as (
    select
        report_id,
        bool_or(is_legacy_code) as uses_legacy_codes,
        {% set outcome_group_names = ['disclosed', 'partially_disclosed', 'withheld', 'unable_to_provide',
                                     'not_processed', 'other'] %}
        {% for group_name in outcome_group_names -%}
            {{ sum_if_all_stated('count', "outcome_group = '" ~ group_name ~ "'") }} as {{ group_name }}_count,
        {% endfor -%}
        {{ sum_if_all_stated('count', "outcome_code = 'unable_not_held'") }} as unable_not_held_count
    from outcomes
    group by report_id
),

-- Review and litigation results, litigation summed over its routes (direct, after review, unspecified):
-- a result is known only when every route's row of it is stated (a review has one row per result).
{% set decision_results = ['total', 'upheld', 'corrected', 'other', 'pending'] %}
{% for kind, fact_model in [('review', 'fct_reviews'), ('litigation', 'fct_litigation')] %}
    {{ kind }}_results as (
        select
            report_id,
        {% for result in decision_results -%}
            {{ sum_if_all_stated('count', kind ~ "_result = '" ~ result ~ "'") }} as {{ kind }}_{{ result }}
            {{- "," if not loop.last }}
        {% endfor %}
        from {{ ref(fact_model) }}
        group by report_id
    ),
{% endfor %}

joined as (
    select
        reports.report_id,
        reports.agency_id,
        agencies.region_code,
        agencies.admin_level,
        reports.report_year,
        reports.template_version,
        reports.template_version = 'prose' as is_prose_era,
        coalesce(outcome_groups.uses_legacy_codes, false) as uses_legacy_codes,
        coalesce(scorecard.hard_identities_failed, 0) > 0 as fails_identities,
        applications.new_received,
        applications.carried_over,
        applications.total_processed,
        applications.carried_forward,
        applications.new_received_natural_person,
        applications.new_received_commercial_enterprise,
        applications.new_received_research_institution,
        applications.new_received_social_welfare_org,
        applications.new_received_legal_service_org,
        applications.new_received_other_org,
        outcome_groups.disclosed_count,
        outcome_groups.partially_disclosed_count,
        outcome_groups.withheld_count,
        outcome_groups.unable_to_provide_count,
        outcome_groups.not_processed_count,
        outcome_groups.other_count,
        outcome_groups.unable_not_held_count,
    {% for kind in ['review', 'litigation'] -%}
        {% set counts = kind ~ '_results.' ~ kind %}
        {% for result in decision_results -%}
            {{ counts }}_{{ result }},
        {% endfor -%}
        -- decided = total − pending; prose that names only its results: upheld + corrected (+ other)
        coalesce(
            {{ counts }}_total - {{ counts }}_pending,
            {{ counts }}_upheld + {{ counts }}_corrected + {{ counts }}_other,
            case
                when reports.template_version = 'prose'
                    then {{ counts }}_upheld + {{ counts }}_corrected
            end
        ) as {{ kind }}_decided{{ "," if not loop.last }}
    {% endfor %}
    from reports
    left join {{ ref('dim_agency') }} as agencies on reports.agency_id = agencies.agency_id
    left join {{ ref('report_scorecard') }} as scorecard on reports.report_id = scorecard.report_id
    left join applications on reports.report_id = applications.report_id
    left join outcome_groups on reports.report_id = outcome_groups.report_id
    left join review_results on reports.report_id = review_results.report_id
    left join litigation_results on reports.report_id = litigation_results.report_id
),

final as (
    select
        *,
        -- one denominator in every era: the requests handled, （七）总计 or the prose's 办结/答复 total (a
        -- prose-era report that states only what it received has NULL rates, never rates over another count)
        disclosed_count / nullif(total_processed, 0) as grant_rate,
        partially_disclosed_count / nullif(total_processed, 0) as partial_rate,
        unable_to_provide_count / nullif(total_processed, 0) as unable_share,
        unable_not_held_count / nullif(total_processed, 0) as unable_not_held_share,
        not_processed_count / nullif(total_processed, 0) as not_processed_share,
        -- the other question, answerable in every era: granted in full per application received this year
        disclosed_count / nullif(new_received, 0) as grant_rate_of_received,
        carried_forward / nullif(new_received + carried_over, 0) as carry_forward_rate,
        review_corrected / nullif(review_decided, 0) as review_correction_rate,
        litigation_corrected / nullif(litigation_decided, 0) as litigation_correction_rate
    from joined
)

select * from final
