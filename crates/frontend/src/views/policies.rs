//! The policies' part of every model view's panel: three groups of `flywheel_core::policy`'s
//! parameters, after the model's own.

/// The policies' panel groups.
pub const POLICY_GROUPS: [(&str, &[&str]); 3] = [
    (
        "Policies: rewards and staking",
        &[
            "dynamic_rewards",
            "reward_curve",
            "decay_start",
            "decay_rate",
            "multiplier_min",
            "multiplier_max",
            "participation_target",
            "dynamic_staking",
            "staking_apy_min",
            "staking_apy_max",
        ],
    ),
    (
        "Policies: supply and price",
        &[
            "inflation_controller",
            "inflation_target",
            "max_monthly_adjustment",
            "price_stabilizer",
            "band_lower",
            "band_upper",
            "buyback_max_share",
            "issue_max_share",
            "treasury_start",
        ],
    ),
    (
        "Policies: revenue and fees",
        &[
            "value_distribution",
            "share_stakers",
            "share_treasury",
            "share_developers",
            "share_burn",
            "stability_fee",
            "treasury_tax",
            "fee_burn",
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::POLICY_GROUPS;

    #[test]
    fn every_policy_parameter_is_in_a_group_once() {
        let mut names: Vec<&str> = POLICY_GROUPS
            .iter()
            .flat_map(|g| g.1.iter().copied())
            .collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n);
        let mut specs: Vec<&str> = flywheel_core::policy::SPECS
            .iter()
            .map(|s| s.name())
            .collect();
        specs.sort_unstable();
        assert_eq!(names, specs);
    }
}
