//! Teaching text for each tab, in the structure good teaching simulators use:
//! What is it · How it works · How to use it · Things to notice · Things to try.

/// (heading, trusted static HTML)
pub type InfoSection = (&'static str, &'static str);

pub const COMMONS: [InfoSection; 5] = [
    (
        "What is it",
        "<p>An <b>augmented bonding curve</b> (ABC) is the token issuance contract of the Commons Stack. \
         Anyone can buy tokens by depositing DAI (the contract mints them) or sell tokens back (it burns \
         them and pays DAI out of its reserve), at a price set by a formula. So there is always a market. \
         It is <i>augmented</i> because tributes on entry and exit go to a <b>funding pool</b> that the \
         community spends on proposals: trading funds the commons.</p>",
    ),
    (
        "How it works",
        "<ul>\
         <li><b>Hatch.</b> Hatchers raise <i>H</i> DAI at the hatch price <i>p</i>: S₀ = H ÷ p tokens. \
         The hatch tribute θ sends θ·H to the funding pool F; the rest, (1 − θ)·H, is the collateral reserve R.</li>\
         <li><b>Invariant.</b> V = S<sup>κ</sup> ÷ R is fixed at the hatch. The spot price is P = κ·R ÷ S.</li>\
         <li><b>Buy d DAI.</b> The entry tribute sends t<sub>in</sub>·d to F; the rest d′ joins R; \
         minted = (V·(R + d′))<sup>1/κ</sup> − S.</li>\
         <li><b>Sell b tokens.</b> released = R − (S − b)<sup>κ</sup> ÷ V leaves R; the exit tribute keeps \
         t<sub>out</sub> of it for F and the seller gets the rest.</li>\
         <li>The funding pool never backs the curve: tributes are a one-way flow from traders to the commons.</li>\
         </ul>",
    ),
    (
        "How to use it",
        "<ul>\
         <li>Change any parameter on the left: the charts and numbers follow at once. Invalid text is \
         flagged under its field with the allowed range; the last valid value stays in use.</li>\
         <li>Pick a <b>what-if trade</b> (buy DAI or sell tokens, and its size). The shaded area under \
         the curve is exactly the DAI entering or leaving the reserve.</li>\
         <li>Point at the curve to read the supply, price and reserve there, and how much DAI would \
         have to enter or leave the reserve to get there from now.</li>\
         <li><b>Apply trade</b> carries it out, so the curve's state moves; <b>Undo</b> and <b>Reset to \
         hatch</b> go back. <b>Draw a hatch</b> raises from five random hatchers, as the Commons simulator does.</li>\
         <li><b>Copy link</b> shares exactly what you see. The same fragment works in the command line: \
         <code>flywheel commons abc --params '#commons?…' --json</code>.</li>\
         <li><b>Export</b>: the states as CSV, everything as JSON, each chart as SVG.</li>\
         </ul>",
    ),
    (
        "Things to notice",
        "<ul>\
         <li>Right after the hatch the spot price is κ·(1 − θ)·p = 0.16 DAI with the defaults, above the \
         hatch price of 0.1: hatchers start in profit on paper.</li>\
         <li>Price impact grows with the trade's size relative to the reserve: 10,000 DAI moves the price \
         0.6%, 1,000,000 DAI moves it 50% (0.16 → 0.24) and mints 5,000,000 tokens at 0.20 on average.</li>\
         <li>Buying and then selling exactly the minted tokens returns the curve to its starting point, \
         but with a 0.35 exit tribute the trader gets only 65% of the DAI back; the rest funds the commons.</li>\
         <li>The exit tribute is a spread between buying and selling: it discourages quick round trips \
         and makes the funding pool grow with trading volume. In <b>Price by trade size</b> the two \
         lines start apart by exactly the tributes and spread further as trades grow; a larger κ \
         bends them sooner.</li>\
         </ul>",
    ),
    (
        "Things to try",
        "<ul>\
         <li><a href=\"#commons?kappa=1&v=1\">κ = 1</a> gives a flat price; \
         <a href=\"#commons?kappa=4&trade_size=1000000&v=1\">κ = 4</a> a steep one. Compare how far a \
         1,000,000 DAI buy moves the price.</li>\
         <li><a href=\"#commons?trades=b1000000&trade_side=sell&trade_size=5000000&v=1\">Buy 1M DAI, then \
         sell 5M tokens</a>: the curve comes back to the hatch supply, and the funding pool keeps the tribute.</li>\
         <li><a href=\"#commons?entry_tribute=0.1&trade_size=500000&v=1\">An entry tribute of 10%</a>: \
         buys now feed the funding pool too, and mint fewer tokens.</li>\
         <li>Set the exit tribute to 0, then to 0.9, and sell 1,000,000 tokens: who gets the DAI?</li>\
         <li>Raise the hatch tribute: more money for proposals from day one, but a lower starting price.</li>\
         </ul>",
    ),
];

#[cfg(test)]
mod tests {
    #[test]
    fn commons_info_has_the_five_sections_in_order() {
        let heads: Vec<&str> = super::COMMONS.iter().map(|s| s.0).collect();
        assert_eq!(
            heads,
            [
                "What is it",
                "How it works",
                "How to use it",
                "Things to notice",
                "Things to try"
            ]
        );
        for (_, html) in super::COMMONS {
            assert!(html.len() > 200);
        }
    }

    /// The numbers quoted in "Things to notice" are the model's.
    #[test]
    fn quoted_numbers_match_the_model() {
        use flywheel_core::commons::{evaluate, AbcParams};
        let r = evaluate(&AbcParams::default());
        assert!((r.current.spot_price() - 0.16).abs() < 1e-12);
        assert!((r.trade.spot_after / r.trade.spot_before - 1.0 - 0.006).abs() < 0.0005);
        let big = evaluate(&AbcParams {
            trade_size: 1e6,
            ..AbcParams::default()
        });
        assert!((big.trade.minted - 5e6).abs() < 1e-6);
        assert!((big.trade.average_price - 0.2).abs() < 1e-12);
    }
}
