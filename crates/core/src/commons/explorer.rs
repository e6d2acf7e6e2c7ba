//! The Commons curve explorer: a hatch with a fixed raise, a history of trades, and a what-if
//! trade, evaluated on the augmented bonding curve ([`crate::commons::curve`]).

use crate::commons::curve::{CurveState, Hatch};
use crate::format::{readable, shortest};
use crate::params::{
    clip, model_fields, ChoiceSpec, ParamIssue, ParamModel, ParamSpec, RealSpec, Scale,
};
use crate::rng;
use serde::{Deserialize, Serialize};

/// Which way a trade goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Deposit DAI, mint tokens.
    Buy,
    /// Burn tokens, receive DAI.
    Sell,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Buy => "buy",
            Side::Sell => "sell",
        }
    }
}

/// A trade: DAI deposited (buy) or tokens burned (sell).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trade {
    pub side: Side,
    pub amount: f64,
}

/// At most this many trades are kept in a history (and in a link).
pub const MAX_TRADES: usize = 100;

/// The explorer's parameters. Names are the same in the URL, the panel and the CLI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AbcParams {
    pub hatch_raise: f64,
    pub hatch_price: f64,
    pub hatch_tribute: f64,
    pub kappa: f64,
    pub entry_tribute: f64,
    pub exit_tribute: f64,
    pub trade_side: Side,
    pub trade_size: f64,
    /// Trades already carried out after the hatch, in order (URL key `trades`, e.g. `b1000,s500`).
    pub trades: Vec<Trade>,
}

const SPECS: &[ParamSpec] = &[
    ParamSpec::Real(RealSpec {
        name: "hatch_raise",
        label: "Hatch raise",
        unit: "DAI",
        help: "DAI the hatchers put in. It seeds the reserve and the funding pool.",
        default: 1_000_000.0,
        min: 1.0,
        max: 1e12,
        step: 1000.0,
        scale: Scale::Log,
        integer: false,
    }),
    ParamSpec::Real(RealSpec {
        name: "hatch_price",
        label: "Hatch price",
        unit: "DAI/token",
        help: "What hatchers pay per token. Sets the initial supply S₀ = raise ÷ price.",
        default: 0.1,
        min: 1e-6,
        max: 1e6,
        step: 0.01,
        scale: Scale::Log,
        integer: false,
    }),
    ParamSpec::Real(RealSpec {
        name: "hatch_tribute",
        label: "Hatch tribute",
        unit: "fraction",
        help:
            "Share of the raise sent to the funding pool; the rest becomes the collateral reserve.",
        default: 0.2,
        min: 0.0,
        max: 0.99,
        step: 0.01,
        scale: Scale::Linear,
        integer: false,
    }),
    ParamSpec::Real(RealSpec {
        name: "kappa",
        label: "Curve exponent κ",
        unit: "",
        help:
            "Steepness. The reserve grows as supply^κ, so the spot price is κ × reserve ÷ supply.",
        default: 2.0,
        min: 1.0,
        max: 10.0,
        step: 0.1,
        scale: Scale::Linear,
        integer: false,
    }),
    ParamSpec::Real(RealSpec {
        name: "entry_tribute",
        label: "Entry tribute",
        unit: "fraction",
        help: "Share of every deposit sent to the funding pool instead of the reserve.",
        default: 0.0,
        min: 0.0,
        max: 0.99,
        step: 0.01,
        scale: Scale::Linear,
        integer: false,
    }),
    ParamSpec::Real(RealSpec {
        name: "exit_tribute",
        label: "Exit tribute",
        unit: "fraction",
        help:
            "Share of the DAI released by every sale that goes to the funding pool, not the seller.",
        default: 0.35,
        min: 0.0,
        max: 0.99,
        step: 0.01,
        scale: Scale::Linear,
        integer: false,
    }),
    ParamSpec::Choice(ChoiceSpec {
        name: "trade_side",
        label: "What-if trade",
        help: "Buy deposits DAI and mints tokens; sell burns tokens and releases DAI.",
        default: "buy",
        options: &[("buy", "Buy (deposit DAI)"), ("sell", "Sell (burn tokens)")],
    }),
    ParamSpec::Real(RealSpec {
        name: "trade_size",
        label: "Trade size",
        unit: "DAI or tokens",
        help: "DAI deposited by a buy, or tokens burned by a sell (less than the supply).",
        default: 10_000.0,
        min: 0.0,
        max: 1e12,
        step: 100.0,
        scale: Scale::Log,
        integer: false,
    }),
];

impl Default for AbcParams {
    fn default() -> Self {
        let mut p = AbcParams {
            hatch_raise: 0.0,
            hatch_price: 0.0,
            hatch_tribute: 0.0,
            kappa: 0.0,
            entry_tribute: 0.0,
            exit_tribute: 0.0,
            trade_side: Side::Buy,
            trade_size: 0.0,
            trades: Vec::new(),
        };
        for s in SPECS {
            p.put(s.name(), s.default_value());
        }
        p
    }
}

impl ParamModel for AbcParams {
    const TAB: &'static str = "commons";

    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    model_fields! {
        reals: [hatch_raise, hatch_price, hatch_tribute, kappa, entry_tribute, exit_tribute, trade_size],
        choices: [trade_side: Side { Buy => "buy", Sell => "sell" }],
    }

    fn parse_extra(&mut self, key: &str, raw: &str) -> Option<Result<(), ParamIssue>> {
        (key == "trades").then(|| parse_trades(raw).map(|t| self.trades = t))
    }

    fn extra_pairs(&self) -> Vec<(String, String)> {
        if self.trades.is_empty() {
            return Vec::new();
        }
        vec![("trades".into(), format_trades(&self.trades))]
    }
}

fn trades_issue(reason: String) -> ParamIssue {
    ParamIssue {
        field: "trades".into(),
        message: format!(
            "trades: {reason}; allowed a comma-separated list of up to {MAX_TRADES} trades, each b<DAI> or s<tokens> (e.g. b1000,s500); using no trades"
        ),
    }
}

/// Reads `b1000,s500` (buy 1,000 DAI, then sell 500 tokens).
pub fn parse_trades(raw: &str) -> Result<Vec<Trade>, ParamIssue> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(Vec::new());
    }
    let items: Vec<&str> = raw.split(',').collect();
    if items.len() > MAX_TRADES {
        return Err(trades_issue(format!("{} trades given", items.len())));
    }
    items
        .iter()
        .map(|item| {
            let item = item.trim();
            let side = match item.chars().next() {
                Some('b') | Some('B') => Side::Buy,
                Some('s') | Some('S') => Side::Sell,
                _ => {
                    return Err(trades_issue(format!(
                        "'{}' does not start with b or s",
                        clip(item)
                    )))
                }
            };
            match item[1..].parse::<f64>() {
                Ok(x) if x.is_finite() && (0.0..=1e12).contains(&x) => {
                    Ok(Trade { side, amount: x })
                }
                _ => Err(trades_issue(format!(
                    "'{}' is not an amount from 0 to 1e12",
                    clip(item)
                ))),
            }
        })
        .collect()
}

/// Writes trades as `b1000,s500`.
pub fn format_trades(trades: &[Trade]) -> String {
    trades
        .iter()
        .map(|t| {
            format!(
                "{}{}",
                if t.side == Side::Buy { 'b' } else { 's' },
                shortest(t.amount)
            )
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The result of the what-if trade, for a buy or a sell.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TradeOutcome {
    pub side: Side,
    /// DAI deposited (buy) or tokens burned (sell).
    pub amount: f64,
    /// Tokens minted by a buy (0 for a sell).
    pub minted: f64,
    /// DAI released from the reserve by a sell (0 for a buy).
    pub released: f64,
    /// DAI paid to the seller (0 for a buy).
    pub to_seller: f64,
    /// Tribute sent to the funding pool (entry tribute for a buy, exit tribute for a sell).
    pub to_funding: f64,
    /// Change of the reserve (positive for a buy, negative for a sell).
    pub reserve_change: f64,
    pub spot_before: f64,
    pub spot_after: f64,
    /// DAI per token the trader actually got: deposit ÷ minted, or to_seller ÷ burned.
    pub average_price: f64,
}

/// Everything the explorer shows: states, the trade's outcome, and curve samples for charts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AbcReport {
    pub hatch: CurveState,
    /// After the history of trades: the state the what-if trade starts from.
    pub current: CurveState,
    /// After the what-if trade.
    pub after: CurveState,
    pub trade: TradeOutcome,
    /// The hatch followed by the state after each applied history trade.
    pub path: Vec<CurveState>,
    /// (supply, spot price, reserve) along the curve, from 0 past the largest supply shown.
    pub curve: Vec<[f64; 3]>,
    /// (supply, spot price) between the supply before and after the what-if trade.
    pub shade: Vec<[f64; 2]>,
    /// Problems found while evaluating (e.g. a sell larger than the supply), with the fallback used.
    pub issues: Vec<ParamIssue>,
    /// Average prices of trades of increasing size from the current state.
    pub impact: Vec<ImpactPoint>,
}

/// Trades of one size from the current state: a buy of `size` DAI, and a sell of the tokens worth
/// `size` DAI at today's spot price.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImpactPoint {
    /// Trade size in DAI at today's spot price.
    pub size: f64,
    /// DAI paid per token minted (entry tribute included).
    pub buy_price: f64,
    /// DAI received per token burned (after the exit tribute); `None` where the sell would exceed
    /// the supply.
    pub sell_price: Option<f64>,
}

/// The number of sizes in [`AbcReport::impact`], log-spaced over [`IMPACT_DECADES`] decades.
pub const IMPACT_POINTS: usize = 61;
/// Sizes run from 10⁻⁴ to 10 times the reserve.
pub const IMPACT_DECADES: (f64, f64) = (-4.0, 1.0);

/// Average buy and sell prices by trade size, from `current`.
pub fn price_impact(current: &CurveState, p: &AbcParams) -> Vec<ImpactPoint> {
    let spot = current.spot_price();
    let (lo, hi) = IMPACT_DECADES;
    (0..IMPACT_POINTS)
        .filter_map(|i| {
            let exponent = lo + (hi - lo) * i as f64 / (IMPACT_POINTS - 1) as f64;
            let size = current.reserve * libm::pow(10.0, exponent);
            let buy = current.preview_buy(size, p.entry_tribute).ok()?;
            if buy.minted <= 0.0 {
                return None;
            }
            let tokens = size / spot;
            let sell_price = current
                .preview_sell(tokens, p.exit_tribute)
                .ok()
                .map(|s| s.to_seller / tokens);
            Some(ImpactPoint {
                size,
                buy_price: size / buy.minted,
                sell_price,
            })
        })
        .collect()
}

/// The number of points in [`AbcReport::curve`].
pub const CURVE_POINTS: usize = 241;

fn hatch_of(p: &AbcParams) -> Hatch {
    Hatch {
        raise: p.hatch_raise,
        price: p.hatch_price,
        tribute: p.hatch_tribute,
        kappa: p.kappa,
    }
}

fn apply(
    state: &mut CurveState,
    t: Trade,
    p: &AbcParams,
) -> Result<TradeOutcome, crate::commons::curve::AbcError> {
    let spot_before = state.spot_price();
    Ok(match t.side {
        Side::Buy => {
            let b = state.buy(t.amount, p.entry_tribute)?;
            TradeOutcome {
                side: Side::Buy,
                amount: t.amount,
                minted: b.minted,
                released: 0.0,
                to_seller: 0.0,
                to_funding: b.to_funding,
                reserve_change: b.to_reserve,
                spot_before,
                spot_after: b.spot_after,
                average_price: if b.minted > 0.0 {
                    t.amount / b.minted
                } else {
                    spot_before
                },
            }
        }
        Side::Sell => {
            let s = state.sell(t.amount, p.exit_tribute)?;
            TradeOutcome {
                side: Side::Sell,
                amount: t.amount,
                minted: 0.0,
                released: s.released,
                to_seller: s.to_seller,
                to_funding: s.to_funding,
                reserve_change: -s.released,
                spot_before,
                spot_after: s.spot_after,
                average_price: if t.amount > 0.0 {
                    s.to_seller / t.amount
                } else {
                    spot_before * (1.0 - p.exit_tribute)
                },
            }
        }
    })
}

/// Evaluates the explorer: hatch, history, what-if trade. Never fails for validated parameters:
/// a trade that cannot be carried out is reported in `issues` and replaced as the message says.
pub fn evaluate(p: &AbcParams) -> AbcReport {
    let mut issues = Vec::new();
    let hatch = CurveState::hatch(&hatch_of(p)).unwrap_or_else(|e| {
        issues.push(ParamIssue {
            field: "hatch".into(),
            message: format!("hatch: {e}; using the default hatch"),
        });
        CurveState::hatch(&hatch_of(&AbcParams::default())).expect("the default hatch is valid")
    });
    let mut current = hatch;
    let mut path = vec![hatch];
    for (i, t) in p.trades.iter().enumerate() {
        match apply(&mut current, *t, p) {
            Ok(_) => path.push(current),
            Err(e) => issues.push(ParamIssue {
                field: "trades".into(),
                message: format!(
                    "trades: trade {} ({}) was skipped: {e}",
                    i + 1,
                    format_trades(&[*t])
                ),
            }),
        }
    }
    let mut after = current;
    let what_if = Trade {
        side: p.trade_side,
        amount: p.trade_size,
    };
    let trade = match apply(&mut after, what_if, p) {
        Ok(o) => o,
        Err(e) => {
            let default = AbcParams::default().trade_size;
            let fallback = if default < current.supply {
                default
            } else {
                0.0
            };
            issues.push(ParamIssue {
                field: "trade_size".into(),
                message: format!(
                    "trade_size: {e}; allowed 0 to less than the supply ({}); using {}",
                    readable(current.supply),
                    readable(fallback)
                ),
            });
            after = current;
            apply(
                &mut after,
                Trade {
                    side: p.trade_side,
                    amount: fallback,
                },
                p,
            )
            .expect("a sell below the supply and any finite buy are valid")
        }
    };

    let s_max = 1.35
        * path
            .iter()
            .chain([&after])
            .map(|s| s.supply)
            .fold(0.0, f64::max);
    let curve = (0..CURVE_POINTS)
        .map(|i| {
            let s = s_max * i as f64 / (CURVE_POINTS - 1) as f64;
            [s, current.price_at(s), current.reserve_at(s)]
        })
        .collect();
    let (lo, hi) = if after.supply >= current.supply {
        (current.supply, after.supply)
    } else {
        (after.supply, current.supply)
    };
    const SHADE_POINTS: usize = 61;
    let shade = (0..SHADE_POINTS)
        .map(|i| {
            let s = lo + (hi - lo) * i as f64 / (SHADE_POINTS - 1) as f64;
            [s, current.price_at(s)]
        })
        .collect();
    let impact = price_impact(&current, p);
    AbcReport {
        hatch,
        current,
        after,
        trade,
        path,
        curve,
        shade,
        issues,
        impact,
    }
}

/// Draws a hatch as the Commons simulation does (spec §2): each of `hatchers` contributes
/// U(0,1) × `max_contribution` DAI, from the seeded stream `seed`.
pub fn draw_hatch(seed: u64, hatchers: u32, max_contribution: f64) -> Vec<f64> {
    let mut r = rng::stream(seed, 0);
    (0..hatchers)
        .map(|_| rng::uniform(&mut r) * max_contribution)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{decode, encode};

    #[test]
    fn defaults_are_the_spec_defaults() {
        let p = AbcParams::default();
        assert_eq!(
            (p.hatch_raise, p.hatch_price, p.hatch_tribute),
            (1e6, 0.1, 0.2)
        );
        assert_eq!((p.kappa, p.entry_tribute, p.exit_tribute), (2.0, 0.0, 0.35));
        assert_eq!(encode(&p), "#commons?v=1");
    }

    #[test]
    fn url_round_trip_is_exact() {
        let p = AbcParams {
            kappa: 3.0,
            exit_tribute: 0.2,
            // Not exactly representable as a short decimal.
            hatch_price: 0.1 + 0.2,
            trade_side: Side::Sell,
            trades: vec![
                Trade {
                    side: Side::Buy,
                    amount: 1000.0,
                },
                Trade {
                    side: Side::Sell,
                    amount: 500.5,
                },
            ],
            ..AbcParams::default()
        };
        let url = encode(&p);
        assert_eq!(
            url,
            "#commons?hatch_price=0.30000000000000004&kappa=3&exit_tribute=0.2&trade_side=sell&trades=b1000,s500.5&v=1"
        );
        let d = decode::<AbcParams>(&url);
        assert!(d.issues.is_empty(), "{:?}", d.issues);
        assert_eq!(d.model, p);
        assert_eq!(evaluate(&d.model), evaluate(&p));
    }

    /// Every kind of bad input: a message naming the field and its range, and that field's default.
    #[test]
    fn bad_links_fall_back_field_by_field() {
        let cases: &[(&str, &str, &str)] = &[
            ("#commons?kappa=abc&v=1", "kappa", "allowed 1 to 10"),
            ("#commons?kappa=NaN&v=1", "kappa", "not a finite number"),
            ("#commons?kappa=0.5&v=1", "kappa", "out of range"),
            (
                "#commons?hatch_raise=1e400&v=1",
                "hatch_raise",
                "allowed 1 to 1e12 DAI",
            ),
            (
                "#commons?exit_tribute=-0.1&v=1",
                "exit_tribute",
                "allowed 0 to 0.99; using the default 0.35",
            ),
            (
                "#commons?trade_side=hold&v=1",
                "trade_side",
                "allowed buy | sell",
            ),
            (
                "#commons?trades=x1,b2&v=1",
                "trades",
                "does not start with b or s",
            ),
            (
                "#commons?frobnicate=1&v=1",
                "frobnicate",
                "unknown parameter",
            ),
            (
                "#commons?kappa=3&v=99",
                "v",
                "version '99' is not supported",
            ),
        ];
        for (url, field, text) in cases {
            let d = decode::<AbcParams>(url);
            assert_eq!(d.issues.len(), 1, "{url}: {:?}", d.issues);
            assert_eq!(d.issues[0].field, *field, "{url}");
            assert!(
                d.issues[0].message.contains(text),
                "{url}: {}",
                d.issues[0].message
            );
            assert_eq!(d.model, AbcParams::default(), "{url}");
        }
        // A bad field does not spoil the good ones.
        let d = decode::<AbcParams>("#commons?kappa=3&exit_tribute=zz&v=1");
        assert_eq!(d.model.kappa, 3.0);
        assert_eq!(d.model.exit_tribute, 0.35);
        // Garbage of every sort decodes to defaults with messages, never a panic.
        for junk in [
            "",
            "#",
            "???",
            "#commons?&&==&",
            "%%%",
            "#commons?kappa",
            &"a=b&".repeat(5000),
            "#ü?ü=ü",
        ] {
            let d = decode::<AbcParams>(junk);
            let r = evaluate(&d.model);
            assert!(r.trade.spot_after.is_finite());
        }
    }

    #[test]
    fn sell_larger_than_supply_is_reported_and_replaced() {
        let p = AbcParams {
            trade_side: Side::Sell,
            trade_size: 2e7,
            ..AbcParams::default()
        };
        let r = evaluate(&p);
        assert_eq!(r.issues.len(), 1);
        assert_eq!(r.issues[0].field, "trade_size");
        assert_eq!(r.trade.amount, 10_000.0);
        assert!(r.after.supply < r.current.supply);
    }

    #[test]
    fn history_moves_the_current_state_along_the_same_curve() {
        let p = AbcParams {
            trades: vec![
                Trade {
                    side: Side::Buy,
                    amount: 1_000_000.0,
                },
                Trade {
                    side: Side::Sell,
                    amount: 1_000_000.0,
                },
            ],
            ..AbcParams::default()
        };
        let r = evaluate(&p);
        assert_eq!(r.path.len(), 3);
        assert!((r.path[1].supply - 1.5e7).abs() < 1e-6);
        for s in &r.path {
            assert!((s.invariant() / r.hatch.invariant() - 1.0).abs() < 1e-12);
        }
        assert_eq!(r.current, r.path[2]);
        // Every sample lies on the curve of the hatch: P = κ·R/S and R = S^κ/V.
        let (kappa, ln_v) = (r.hatch.kappa, r.hatch.ln_invariant());
        for [s, p, reserve] in r.curve.iter().copied().skip(1) {
            assert!(
                (p / (kappa * reserve / s) - 1.0).abs() < 1e-12,
                "price at {s}"
            );
            assert!(
                (reserve / (kappa * s.ln() - ln_v).exp() - 1.0).abs() < 1e-9,
                "reserve at {s}"
            );
        }
        assert_eq!(r.curve[0], [0.0, 0.0, 0.0]);
    }

    #[test]
    fn shaded_area_is_the_reserve_change() {
        // ∫ P dS between the supplies before and after a buy is the DAI added to the reserve.
        let r = evaluate(&AbcParams::default());
        let area: f64 = r
            .shade
            .windows(2)
            .map(|w| (w[1][0] - w[0][0]) * (w[0][1] + w[1][1]) / 2.0)
            .sum();
        assert!(
            (area / r.trade.reserve_change - 1.0).abs() < 1e-4,
            "area {area} vs {}",
            r.trade.reserve_change
        );
    }

    #[test]
    fn price_impact_orders_buy_spot_and_sell_prices() {
        for p in [
            AbcParams::default(),
            AbcParams {
                kappa: 5.0,
                entry_tribute: 0.1,
                ..AbcParams::default()
            },
            AbcParams {
                kappa: 1.0,
                exit_tribute: 0.0,
                ..AbcParams::default()
            },
        ] {
            let r = evaluate(&p);
            let spot = r.current.spot_price();
            assert_eq!(r.impact.len(), IMPACT_POINTS);
            let mut last_buy = 0.0;
            for pt in &r.impact {
                // Buyers pay at least the spot price; bigger buys pay more per token.
                assert!(pt.buy_price >= spot * (1.0 - 1e-12), "{pt:?}");
                assert!(pt.buy_price >= last_buy * (1.0 - 1e-12), "{pt:?}");
                last_buy = pt.buy_price;
                // Sellers receive at most the spot price, less the exit tribute.
                if let Some(sell) = pt.sell_price {
                    assert!(
                        sell <= spot * (1.0 - p.exit_tribute) * (1.0 + 1e-12),
                        "{pt:?}"
                    );
                }
            }
            // The smallest trades pay and receive the spot price (tributes aside).
            let first = r.impact[0];
            assert!((first.buy_price * (1.0 - p.entry_tribute) / spot - 1.0).abs() < 1e-3);
            let sell = first.sell_price.unwrap();
            assert!((sell / (spot * (1.0 - p.exit_tribute)) - 1.0).abs() < 1e-3);
        }
        // Sells cannot exceed the supply: the largest sizes have no sell price (κ = 2: κ·R).
        let r = evaluate(&AbcParams::default());
        assert!(r.impact.last().unwrap().sell_price.is_none());
    }

    #[test]
    fn hatch_draw_is_seeded() {
        let a = draw_hatch(7, 5, 1e6);
        assert_eq!(a, draw_hatch(7, 5, 1e6));
        assert_ne!(a, draw_hatch(8, 5, 1e6));
        assert_eq!(a.len(), 5);
        assert!(a.iter().all(|x| (0.0..1e6).contains(x)));
    }
}
