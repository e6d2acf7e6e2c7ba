//! Teaching text for each tab, in the structure good teaching simulators use:
//! What is it · How it works · How to use it · Things to notice · Things to try.

/// Every tab's Info has these sections, in this order.
pub const SECTIONS: [&str; 5] = [
    "What is it",
    "How it works",
    "How to use it",
    "Things to notice",
    "Things to try",
];

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

pub const CROWDTRAIN: [InfoSection; 5] = [
    (
        "What is it",
        "<p><b>CrowdTrain</b> is a workforce economy for robotics operators (a DePIN network): people \
         join, train through six tiers from Sim Academy to Partner Missions, earn tokens, stake them, \
         and either stay long enough to qualify (tier 4 and above) or leave. Paying customers arrive \
         only when enough qualified operators exist; part of their revenue buys tokens back and burns \
         them. The question it asks: <i>will operators stay long enough to qualify, does the token \
         survive, and does revenue arrive before emissions halve?</i></p>\
         <p>This tab runs the public reference world (v1: 6 tiers, 24 months, 20 seeds) in a Monte \
         Carlo and scores it the way the reference does.</p>",
    ),
    (
        "How it works",
        "<ul>\
         <li><b>Each month</b>: emission (halving every 12 months, capped at the maximum supply); new \
         operators join (200 in month 1, peaking at 2,800, then shrinking by 8% a month after month 12); \
         revenue once 30 qualified operators can serve each customer; burn; skills grow and operators \
         get promoted with some probability once they pass a tier's months and skill gates; rewards \
         (base × tier multiplier, plus staking yield); some stake, everyone with tokens sells 10–30%; \
         the price moves; operators churn (less if they stake, earn over $50 a month, or are tier 3+; \
         more when the price falls).</li>\
         <li><b>Tier 4 and above</b> need the hardware stake: the operator must hold it, and it is \
         moved into a stake on promotion.</li>\
         <li><b>The price is an index, not dollars</b>, under the reference formula \
         (<code>price_model=reference</code>, the default): each month it moves 30% of the way to \
         (0.3 × revenue + 1,000) ÷ (liquid supply <i>in millions</i>), so its unit is really USD per \
         million tokens. It starts at the initial price (0.10), reads about 28 after the first month \
         and about 56 after 24, and soars with revenue (about 3,000 with a 400-token hardware stake, \
         about a billion at scale 100). The \
         charts and cards call it the <i>price index</i>. With <code>price_model=amm</code> the \
         price is a market price: USD per token in a constant-product pool.</li>\
         <li><b>The score</b> (0–1) weighs retention (30%, target 60% of everyone ever onboarded), \
         price stability over the last 12 months (25%), revenue (20%, target $3M), fairness of \
         earnings (15%, Gini against 0.6) and qualified operators (10%, target 500).</li>\
         <li>Run <i>i</i> uses seed base + <i>i</i>: the same link gives the same numbers, here and in \
         the command line.</li>\
         </ul>",
    ),
    (
        "How to use it",
        "<ul>\
         <li>Pick a preset — <b>CrowdTrain v1 (reference)</b> or <b>Consistent economy</b> — then change \
         parameters; the Monte Carlo runs in the background with a progress bar, and <b>Cancel</b> \
         stops it at once.</li>\
         <li>Read the score breakdown against its targets first: it tells which part drags the \
         composite down. Then look at the tier funnel and the price band (P10–P90 over the runs).</li>\
         <li>The four switches show the reference's accounting quirks one at a time: \
         <code>reward_source</code> (fixed rewards minted from nowhere, or the month's emission as the \
         budget), <code>supply_accounting</code> (rewards outside the circulating supply and stakes \
         re-minted on churn, or every token accounted for), <code>price_model</code> (the reference \
         formula's price index, or a constant-product AMM pool's USD price) and \
         <code>hardware_stake</code> (taken again at tiers 5 and 6, or once at tier 4).</li>\
         <li><b>Policies</b> (the three Policies sections, all off by default) attach the policy \
         engine to the world: dynamic rewards, an inflation controller, a price stabiliser with a \
         treasury, value distribution of revenue, dynamic staking and fees. The <b>Health</b> box \
         under the cards judges the median run by the seed's success criteria and lists the first \
         run's interventions; the <a href=\"#crowdtrain-stress\">CrowdTrain stress</a> tab tests the \
         same design under market scenarios.</li>\
         <li>Copy the link to share exactly this run; <code>flywheel crowdtrain --params '#crowdtrain?…' \
         --json</code> prints the same numbers (policies too: <code>--set price_stabilizer=on</code>).</li>\
         </ul>",
    ),
    (
        "Things to notice",
        "<ul>\
         <li><b>Nobody reaches tier 4 with the reference defaults.</b> Operators sell 10–30% of their \
         tokens every month, so holdings settle near four months of rewards: 4 × 125 = 500 tokens at \
         tier 3. Entering tier 4 needs 1,000 tokens in hand for the hardware stake, so the promotion \
         draw is spent and nothing happens. No qualified operators means no customers and no revenue: \
         two of the five score components stay at zero.</li>\
         <li>The reference price index leaps from 0.10 to about 28 in the first month: not a \
         280-fold rally, but the change of unit described under How it works.</li>\
         <li>Retention sits near a third of everyone ever onboarded: tier-1 churn is 18% a month.</li>\
         </ul>",
    ),
    (
        "Things to try",
        "<ul>\
         <li><a href=\"#crowdtrain?hardware_stake_requirement=400&v=1\">Lower the hardware stake to 400 \
         tokens</a>: about 600 operators qualify, customers arrive and revenue reaches about $0.8M — \
         yet the composite score <i>falls</i>. Look at the price chart to see why (the reference price \
         formula feeds revenue straight into the price).</li>\
         <li>Keep the stake and <a href=\"#crowdtrain?base_monthly_reward_tokens=120&v=1\">raise the \
         base reward</a> instead, or lower selling by \
         <a href=\"#crowdtrain?base_staking_apy=0.6&v=1\">raising the staking APY</a>: which gets \
         operators to tier 4 sooner?</li>\
         <li>Switch to the <b>Consistent economy</b> and compare the price and supply charts: what did \
         the reference's accounting hide?</li>\
         <li>Flip one switch at a time from the reference preset to see what each quirk does, e.g. \
         <a href=\"#crowdtrain?price_model=amm&v=1\">only the AMM price</a>.</li>\
         <li><a href=\"#crowdtrain?months=48&hardware_stake_requirement=400&v=1\">Run 48 months</a>: \
         does revenue arrive before the second halving?</li>\
         </ul>",
    ),
];

pub const DATADAO: [InfoSection; 5] = [
    (
        "What is it",
        "<p>A <b>grassroots dataDAO</b> lets people pool data from the same source and sell compute \
         on it. Members who contribute data mint <b>dataDAO tokens (dDT)</b> by locking their Circles \
         tokens (CRC), up to a limit set by their data's contribution weight (quality × quantity). \
         Spending dDT on compute sends it to <b>the Pie</b>, which pays members back.</p>\
         <p>This tab simulates its market, step by step: a constant-product pool of dDT and xDAI, and \
         five kinds of participants — degens, organizations, power users, active users and casual \
         users. How does the price form when members spend tokens on compute, organizations buy, \
         speculators trade and the Pie pays contributors back?</p>",
    ),
    (
        "How it works",
        "<ul>\
         <li><b>The pool</b> starts empty; price = xDAI reserve ÷ dDT reserve. Swaps pay a 0.3% fee \
         into a fee pot that liquidity providers collect.</li>\
         <li><b>Degens</b> (40%) add 10 dDT + 10 xDAI of liquidity, sell their other 90 dDT at once, \
         then collect fees every step and reinvest half. <b>Organizations</b> (5%) buy 2 dDT's worth \
         each step and spend it on compute. <b>Power users</b> (5%) spend 2 dDT a step and buy more \
         while the price is at most 2 xDAI. <b>Active users</b> (30%) spend 1 dDT a step; \
         <b>casual users</b> (20%) spend 0.1 and sell 0.9.</li>\
         <li><b>The Pie</b> pays out 70% of its dDT each step: 40% to power users (who keep it), 40% \
         to active users and 20% to casual users (who sell it at once: one sale per group, the \
         proceeds split equally); 30% stays for governance.</li>\
         <li>Every 5 steps about 10 agents join, keeping each type near its share.</li>\
         <li><b>Membership minting</b> (off by default) gives newcomers dDT minted by locking CRC up \
         to cap × contribution weight, with weights drawn from a seeded distribution.</li>\
         </ul>",
    ),
    (
        "How to use it",
        "<ul>\
         <li>The whole run is computed in the background; <b>Play</b> then replays it step by step \
         (pick the speed), <b>Step</b> moves one step, and the scrubber inspects any step: the \
         numbers above the charts are that step's.</li>\
         <li>Tick <b>Compare</b> to draw the other preset's run dashed on the same axes.</li>\
         <li>Download <code>simulation_data.csv</code> (every step) and \
         <code>transaction_history.csv</code> (every action of the 100 steps up to the inspected \
         one; <code>flywheel datadao --transactions FILE</code> writes them all).</li>\
         <li><b>Policies</b> (the three Policies sections, all off by default): the inflation \
         controller mints dDT into the Pie, the stabiliser trades in the pool with a treasury of \
         xDAI, value distribution splits the pool's fees, dynamic staking pays liquidity providers an \
         APY, dynamic rewards scale the Pie's payout. The <b>Health</b> box judges the run by the \
         seed's success criteria and lists the interventions; the \
         <a href=\"#datadao-stress\">dataDAO stress</a> tab tests the design under market scenarios.</li>\
         <li>Copy the link to share exactly this run; <code>flywheel datadao --params \
         '#datadao?…' --json</code> prints the same final numbers.</li>\
         </ul>",
    ),
    (
        "Things to notice",
        "<ul>\
         <li><b>What the original code did differently</b>, each a switch: \
         <code>pie_distribution</code> — its Pie payout reached nobody (its group lookup never \
         matched), so 70% of the Pie was burned every step: less dDT is sold back into the pool and \
         the price holds up better than it should. <code>fee_pot</code> — the first degen to collect \
         emptied the pot, so the others' fees were lost. <code>degen_reinvest</code> — reinvested \
         fees went in as r dDT (from nowhere) and r xDAI, 1:1 whatever the price: new dDT appears and \
         the pool's price is dragged towards 1. <code>power_overspend</code> — a power user could \
         spend 2 dDT after buying slightly less, so its balance dipped below zero.</li>\
         <li>The price starts by collapsing: every degen sells 90 dDT into a pool it just seeded with \
         10. Organizations and power users are the only steady buyers.</li>\
         <li>Active and casual users sell their Pie payouts at once: the Pie recycles spent tokens \
         back into selling pressure.</li>\
         </ul>",
    ),
    (
        "Things to try",
        "<ul>\
         <li><a href=\"#datadao?pie_distribution=original&v=1\">Only the Pie as in the original \
         code</a>: the burn instead of the payout. Tick Compare to see both on the same axes.</li>\
         <li><a href=\"#datadao?org_daily_ddt_buy=10&v=1\">Organizations buying 10 dDT a step</a>: \
         how much demand does the price need?</li>\
         <li><a href=\"#datadao?pie_share_power=1&pie_share_active=0&pie_share_casual=0&v=1\">The \
         whole payout to power users</a>, who keep it: no selling from the Pie.</li>\
         <li><a href=\"#datadao?minting=on&quantity_sigma=1&v=1\">Membership minting with unequal \
         contributions</a>.</li>\
         <li><a href=\"#datadao?total_steps=20000&v=1\">20,000 steps</a> (about 40,000 agents at \
         the end): watch the progress bar.</li>\
         </ul>",
    ),
];

pub const COMMONS_DAO: [InfoSection; 5] = [
    (
        "What is it",
        "<p>The <b>Commons</b> as a whole, day by day: a DAO whose members hold tokens from an \
         augmented bonding curve, propose projects, and fund them from the <b>funding pool</b> by \
         <b>conviction voting</b>. It is the Commons Stack's agent-based simulation (730 days, \
         participants with vesting tokens and a sentiment), rebuilt to run in your browser: 20 runs \
         take well under a second instead of minutes each, so you can see the spread of outcomes, \
         not one story.</p>",
    ),
    (
        "How it works",
        "<ul>\
         <li><b>Hatch.</b> Hatchers contribute U(0,1) × the maximum each; the raise H buys H ÷ 0.1 \
         tokens that <b>vest</b>: nothing for two half-lives, then half of the rest every half-life, \
         80% after the days you set. The hatch tribute goes to the funding pool F, the rest backs the curve.</li>\
         <li><b>Conviction.</b> Everyone stakes all its tokens on the candidates it likes most \
         (affinity above max(0.5, 0.75 × its favourite's)). Each day conviction = staked tokens + α × \
         yesterday's, α = 0.2<sup>1/days to 80%</sup>. A proposal asking r of F passes when its \
         conviction reaches ρ·S ÷ (β − r/F)², ρ = ½β²; asking β of the pool or more, it never can. \
         Funded, it is paid from F and its author cheers up (+0.5).</li>\
         <li><b>A day</b>, in order: newcomers arrive (many during a speculation period of 24–95 days, \
         then about one a week) and buy in; batches vest; perhaps a new proposal (more likely when \
         affinities are high and the pool is not already asked for much); speculators' exit tributes \
         feed F; candidates that reached their threshold are funded, one by one; funded proposals \
         complete or fail (big grants take longer), moving their supporters' sentiment; everyone \
         re-stakes; happy members (sentiment above 0.75) buy, unhappy ones sell part of what is \
         unlocked, and very unhappy ones without locked tokens leave, selling everything; sentiment \
         decays a little.</li>\
         <li><b>Score</b>: the reference's 0–1000 dashboard score, ten parts each capped at 1 \
         (price, price stability, proposals funded, grants beyond the hatch funds, funding pool, \
         final and mean sentiment, a penalty if sentiment ever fell below 0.5, completed per failed, \
         growth), summed × 130.</li>\
         </ul>\
         <p><b>Fixed from the reference</b> (spec §6): several newcomers on one day shared one record \
         and the last one's investment — here each has its own draw, so early arrivals no longer \
         come in identical clumps; newcomers were credited investment ÷ spot price while the curve \
         minted fewer tokens (slippage) — here they hold exactly what was minted, so tokens add up \
         to the supply; every random stream had the same seed (or none) — here run i has its own \
         generator seeded base + i, so runs differ and any run reproduces; a resolution chance above \
         1 (requests under ~2.3 DAI) stopped the run with an error — here it is clamped to 1 (and \
         under 0.86 DAI, where the formula's denominator is not positive, it is 1 too: such a \
         grant resolves at once instead of never).</p>\
         <p><b>Where the reference is silent</b>: leaving members sell to the curve (the exit \
         tribute applies); “no vesting tokens” means none still locked; the last member never leaves; \
         candidates passing on the same day are paid \
         in the order proposed, each judged against what the earlier ones left in F; speculators pay \
         the exit tribute you set.</p>",
    ),
    (
        "How to use it",
        "<ul>\
         <li>Change a parameter or pick a preset: the Monte Carlo runs again in a moment (progress \
         and <b>Cancel</b> in the bar). Bands show P10–P90 over the runs, lines the median.</li>\
         <li>The <b>day player</b> steps through one run: the conviction chart shows that day's \
         candidates against their thresholds, the network who supports what. Choose the run beside it.</li>\
         <li>The <b>Conviction</b> tab is a calculator for one proposal: threshold, days to pass, \
         and what more tokens would change.</li>\
         <li><b>Copy link</b> shares exactly this (the inspected day too); the command line takes \
         it: <code>flywheel commons sim --params '#commons-dao?…' --json</code>.</li>\
         <li><b>Export</b>: every run's daily records as CSV, the summary as JSON, each chart as SVG.</li>\
         <li><b>Policy: price stabiliser</b> (off by default): a treasury that buys through the curve \
         below a band and sells what it bought above it. The <b>Health</b> box judges the median run \
         by the seed's success criteria; the <a href=\"#commons-stress\">Commons stress</a> tab tests \
         the design under bull and bear markets.</li>\
         </ul>",
    ),
    (
        "Things to notice",
        "<ul>\
         <li>With the reference's defaults the median run ends near 0.10 DAI a token (P10–P90 about \
         0.06–0.25), below the 0.16 right after the hatch, with 13–14 members, about 150 proposals \
         funded and more failed than completed: grants are paid whether or not the work succeeds.</li>\
         <li>The funding pool ends larger than it started although it paid out about 8 million DAI \
         in grants (median): the exit tribute on every sale refills it, members' and the \
         speculators' (about 700 DAI a day).</li>\
         <li>Hatchers never leave while their tokens vest, so the hatch sets a floor under the \
         membership; newcomers come and go.</li>\
         <li>Conviction per token is at most 1 ÷ (1 − α): about 6.7 with 10 days to 80%, 2.4 with 3 \
         days, 19 with 30 days. Fast conviction sounds nimble but starves proposals of support.</li>\
         </ul>",
    ),
    (
        "Things to try",
        "<ul>\
         <li><a href=\"#commons-dao?days_to_80p_of_max_voting_weight=3&v=1\">3 days to 80% voting \
         weight</a>: almost nothing passes, sentiment collapses and members leave. Then \
         <a href=\"#commons-dao?days_to_80p_of_max_voting_weight=30&v=1\">30 days</a>.</li>\
         <li><a href=\"#commons-dao?max_proposal_request=0.05&v=1\">β = 5%</a> makes every threshold \
         steeper; <a href=\"#commons-dao?max_proposal_request=0.5&v=1\">β = 50%</a> lets more through.</li>\
         <li><a href=\"#commons-dao?entry_tribute=0.05&exit_tribute=0.1&v=1\">Entry and exit \
         tribute</a> instead of a 35% exit tribute: a smaller pool, a higher price.</li>\
         <li><a href=\"#commons-dao?sentiment_decay=0&v=1\">No sentiment decay</a>: members stay, \
         buy, and the price climbs far above the hatch.</li>\
         <li><a href=\"#commons-dao?arrival_rate=3&v=1\">Three times the arrivals</a>, or \
         <a href=\"#commons-dao?hatchers=20&vesting_80p_days=365&hatch_tribute=0.4&v=1\">a big, \
         long-vesting hatch</a>.</li>\
         </ul>",
    ),
];

pub const CONVICTION: [InfoSection; 5] = [
    (
        "What is it",
        "<p>A calculator for <b>conviction voting</b>, the way a Commons funds proposals: instead of \
         a yes/no vote on a date, members stake tokens on the proposals they like, and a proposal's \
         conviction grows the longer tokens stay on it. It passes when conviction reaches a \
         threshold that rises steeply with the share of the funding pool it asks for. Use it to \
         choose the two voting parameters, α (through days to 80%) and β.</p>",
    ),
    (
        "How it works",
        "<ul>\
         <li><b>Threshold</b> (the trigger function): ρ·S ÷ (β − r/F)², with ρ = ½β², S the token \
         supply, r the request, F the funding pool. Asking β of the pool or more, a proposal cannot \
         pass at all.</li>\
         <li><b>Conviction</b>: each day, staked tokens + α × yesterday's conviction. T tokens \
         staked for good approach T ÷ (1 − α); after the days you set they have 80% of it.</li>\
         <li><b>Days to pass</b>: the first day conviction reaches the threshold with the stake \
         from day 1.</li>\
         </ul>",
    ),
    (
        "How to use it",
        "<ul>\
         <li>Set the request, the pool and the supply (the Commons DAO tab's numbers on a day, say), \
         the tokens staked, and the voting parameters. <b>If I add</b> compares more stake.</li>\
         <li>The command line prints the same numbers: <code>flywheel commons conviction --request \
         10000 --funding 200000 --supply 1e7 --stake 1500000 --json</code>.</li>\
         </ul>",
    ),
    (
        "Things to notice",
        "<ul>\
         <li>A free proposal still needs S ÷ 2 conviction: the threshold starts at ½ of the supply \
         (with β = 0.2) and becomes infinite at β.</li>\
         <li>Doubling the request does far more than double the threshold near β.</li>\
         <li>With 10 days to 80% a token is worth at most 6.7 of conviction; with 30 days, 19.</li>\
         </ul>",
    ),
    (
        "Things to try",
        "<ul>\
         <li><a href=\"#conviction?request=30000&v=1\">Ask 15% of the pool</a>: the threshold is \
         nine times higher than at 5%.</li>\
         <li><a href=\"#conviction?days_to_80p_of_max_voting_weight=30&v=1\">30 days to 80%</a>: the \
         same stake passes, later, with room to spare.</li>\
         <li><a href=\"#conviction?stake=500000&v=1\">Stake 500,000 tokens</a>: it never passes; \
         find the stake that does within 60 days.</li>\
         </ul>",
    ),
];

pub const CROWDTRAIN_RESEARCH: [InfoSection; 5] = [
    (
        "What is it",
        "<p>The CrowdTrain seed is an <b>autoresearch program</b>: form a hypothesis, change one to three \
         parameters, run the 20-seed Monte Carlo, keep the change if the composite score improved and \
         discard it otherwise, log every experiment in <code>results.tsv</code>, and after twenty or more \
         experiments summarise what was learned about the parameter landscape. The public version needs \
         15–45 s of Python per experiment and an agent at a terminal; here your browser runs the loop \
         itself on all its cores, hundreds of experiments a minute.</p>",
    ),
    (
        "How it works",
        "<ul>\
         <li><b>Baseline.</b> Experiment 1 is the start design; its weakest sub-score is the one that costs \
         the composite most (weight × (1 − sub-score)).</li>\
         <li><b>Core economics.</b> Hypotheses aimed at the weakest sub-score, then the seed's six \
         tensions (emission vs stability, burn vs cash, APY vs sell pressure, hardware stake vs T4+ \
         production, multiplier steepness vs Gini, halving schedule), then the other sub-scores' \
         hypotheses, each a bold step in its direction.</li>\
         <li><b>Fine-tuning.</b> An evolution strategy: each proposal moves one to three parameters from \
         the best design by a normal step of the parameter's own size (a share of its search range). \
         A step size grows ×1.5 when its change improves the score and shrinks otherwise, so that about \
         one change in five succeeds (the 1/5th success rule): big steps while they pay, fine ones near a \
         peak. Parameters whose changes paid before are chosen more often. Every batch also retries a \
         hypothesis for the weakest sub-score, explores a tension both ways or probes a parameter at its \
         range's end.</li>\
         <li><b>Radical jump.</b> After three batches without a kept change, a whole batch re-draws three \
         parameters anywhere in their ranges.</li>\
         <li><b>Batches.</b> Eight designs are proposed from one best design and evaluated together (on as \
         many workers as you like); of those that beat the best, the best one is kept (the (1+λ) rule). \
         The batch size never changes, so the same link gives the same experiments at any number of \
         workers, in the page and in the command line.</li>\
         <li><b>Validation and sensitivity.</b> After the search the best design runs on 200 fresh seeds \
         (base seed + 1,000,000 on), which the search never saw: a drop exposes over-fitting to the 20 \
         search seeds. Then each parameter is moved 10% of its search range down and up from the best \
         design: the tornado chart.</li>\
         </ul>",
    ),
    (
        "How to use it",
        "<ul>\
         <li>Set the start design on the left (or a preset), the budget and the research seed, untick \
         parameters the search must leave alone, and press <b>Start</b>. <b>Pause</b>/<b>Resume</b> and \
         <b>Stop</b> (then the analysis) act at once; a stopped research is exactly the first experiments \
         of the full one.</li>\
         <li>The number of <b>workers</b> changes the speed, never the results.</li>\
         <li>Each kept change is a link that opens that design in the CrowdTrain tab; <b>Apply the best</b> \
         opens the best one. <b>results.tsv</b> has the seed's columns.</li>\
         <li>The same research from the command line: \
         <code>flywheel crowdtrain research --budget 500 --seed 1 --tsv results.tsv --json</code>.</li>\
         </ul>",
    ),
    (
        "Things to notice",
        "<ul>\
         <li>From the reference defaults (score 0.44, revenue and qualified operators at 0: nobody can \
         afford the 1,000-token hardware stake) 500 experiments reach about 0.69, and the best design \
         scores about the same on 200 fresh seeds: little over-fitting.</li>\
         <li>The best designs give up price stability: once revenue arrives, the reference price formula \
         (0.3 × revenue + 1,000) ÷ liquid supply jumps a hundredfold, and the last twelve months' prices \
         vary too much to score. Retention, fairness and qualified operators make up for it.</li>\
         <li>Left free, the search also raises <code>staking_churn_reduction</code> and \
         <code>earnings_churn_reduction</code>: assumptions about how operators behave, not levers of the \
         design. The summary says so. With the three behavioural parameters unticked, 500 experiments \
         reach about 0.61 (0.58 on fresh seeds: the search then fits its seeds more).</li>\
         </ul>",
    ),
    (
        "Things to try",
        "<ul>\
         <li><a href=\"#crowdtrain-research?budget=120&v=1\">A short research of 120 experiments</a>.</li>\
         <li><a href=\"#crowdtrain-research?budget=300&fixed=staking_churn_reduction,earnings_churn_reduction,nft_retention_bonus&v=1\">The design alone</a>: \
         the behavioural assumptions held fixed.</li>\
         <li><a href=\"#crowdtrain-research?budget=200&supply_accounting=consistent&reward_source=emission_pool&price_model=amm&hardware_stake=once_at_t4&v=1\">The consistent economy</a>: \
         the same loop on the world without the reference's quirks.</li>\
         <li>The same budget with another research seed: do both land on similar designs?</li>\
         </ul>",
    ),
];

pub const COMMONS_RESEARCH: [InfoSection; 5] = [
    (
        "What is it",
        "<p>The experiment loop of the CrowdTrain research, run on the <b>Commons DAO</b>: change one to \
         three levers of the design, run the 20-run Monte Carlo of 730 days, keep the change if the \
         score rises, log it in <code>results.tsv</code>, and learn which levers matter. The score is \
         the reference's 0–1000 dashboard score (ten parts, each capped at 1, × 130) divided by 1000; \
         the ten parts are the table's columns.</p>",
    ),
    (
        "How it works",
        "<ul>\
         <li>The same engine as the CrowdTrain research: a baseline and its weakest part, hypotheses aimed \
         at it and the Commons' tensions (tributes vs traders, deliberation vs speed, vesting vs liquidity, \
         hatch tribute vs reserve), then an evolution strategy over one to three levers with step sizes that \
         follow the 1/5th success rule, probes at the ranges' ends and radical jumps when stuck; batches of \
         eight decided in order, so the results never depend on the number of workers.</li>\
         <li>The levers: hatch tribute and price, vesting, κ, entry and exit tributes, days to 80% voting \
         weight, the maximum request β. The assumptions about people (arrival rate, newcomer investment, \
         buy scale, speculators, sentiment decay) stay as in the start design unless you tick them: a \
         design that only scores well if people behave differently is not a better design.</li>\
         <li>After the search, the best design runs on 200 fresh seeds and each lever is moved 10% of its \
         range either way (the tornado).</li>\
         </ul>",
    ),
    (
        "How to use it",
        "<ul>\
         <li>Set the start design on the left (or a preset), the budget and the seed, and press \
         <b>Start</b>; Pause, Resume and Stop act at once. Each kept change opens in the Commons DAO tab; \
         <b>Apply the best</b> opens the best design there.</li>\
         <li>The same research from the command line: \
         <code>flywheel commons research --budget 120 --tsv results.tsv --json</code>.</li>\
         </ul>",
    ),
    (
        "Things to notice",
        "<ul>\
         <li>From the reference (0.83: 830 of 1000), 120 experiments reach about 0.99 on the search's \
         20 seeds, mostly by slower conviction (80% voting weight after up to 90 days instead of 10), and \
         0.97 on 200 fresh seeds: the Commons' score is noisier than CrowdTrain's, so the search fits \
         its seeds more.</li>\
         <li>Around the best design the score moves most with the assumptions (how fast sentiment decays, \
         how much happy members buy), which the search did not touch: the design is only as good as \
         those assumptions.</li>\
         </ul>",
    ),
    (
        "Things to try",
        "<ul>\
         <li><a href=\"#commons-research?budget=120&v=1\">A research of 120 experiments</a>.</li>\
         <li><a href=\"#commons-research?budget=120&fixed=&v=1\">Everything free</a>, the assumptions \
         about people included: watch the search make people behave better instead of the design.</li>\
         <li><a href=\"#commons-research?budget=120&entry_tribute=0.05&exit_tribute=0.1&v=1\">From the \
         entry-and-exit-tribute preset</a>.</li>\
         </ul>",
    ),
];

pub const COMMONS_STRESS: [InfoSection; 5] = [
    (
        "What is it",
        "<p>The Commons DAO's Monte Carlo under market scenarios: does the commons keep funding \
         proposals and keep its members when the market turns? Every scenario runs the baseline's \
         seeds; the table reports each health metric as P10 / median / P90 over the runs, the change \
         against the baseline, and the seed's criteria; the test passes when the Commons score's P10 \
         (9 runs in 10) stays at or above the threshold in every scenario.</p>",
    ),
    (
        "How it works",
        "<ul>\
         <li><b>Bull and bear are flows into the curve</b>: each day the participants buy (bull) or \
         sell (bear, at most what they can spend) as much as moves the spot price by the day's share \
         of the scenario's factor (price × 2 or × 0.4 over the run); the entry and exit tributes of \
         these trades go to the funding pool like any other. Demand multiplies what newcomers invest \
         and what happy members buy; arrivals the arrival chances; churn the unhappy members' chance \
         to leave.</li>\
         <li>A step is a day, a month 30 days: <code>growth</code> is arrivals × 2.5 from day 61 for a \
         year, <code>regulatory</code> a price drop of 25% on day 331 and arrivals halved for six months.</li>\
         <li><b>Metrics</b>: the Commons score (0–1000); price volatility (month-on-month, the last \
         12 months); inflation (the supply's growth a year: the curve mints on buys and burns on \
         sales); staking participation (tokens staked on candidates ÷ the members' tokens); value \
         capture (the tributes all go to the funding pool: 100% whenever there are tributes).</li>\
         <li><b>The Commons' policy is the price stabiliser</b>: below its band the treasury buys \
         through the curve (a deposit like any other), above it it sells the tokens it bought back \
         (a bonding curve issues only against deposits, so it never issues). The other policies need \
         emission, rewards or a staking yield, which the Commons has not: switched on, they do \
         nothing, and the panel says so.</li>\
         </ul>",
    ),
    (
        "How to use it",
        "<ul>\
         <li>List the scenarios (<code>;</code> between them, or your own \
         <code>name:START+DURATION,lever*factor/…</code> in days), set the threshold, switch the \
         stabiliser on or off, and read the table, the fan chart and the spread chart.</li>\
         <li><code>flywheel stress commons --params '#commons-stress?…' --json</code> prints the same \
         report.</li>\
         </ul>",
    ),
    (
        "Things to notice",
        "<ul>\
         <li>The curve absorbs a bear market: members sell only what they can spend (hatch tokens vest) \
         and each sale's exit tribute feeds the funding pool, so the score falls less than the price.</li>\
         <li>Twenty runs of a small DAO vary a lot (a handful of members): compare P10s, not only \
         medians.</li>\
         </ul>",
    ),
    (
        "Things to try",
        "<ul>\
         <li><b>A policy that makes things worse:</b> \
         <a href=\"#commons-stress?scenarios=bull;bear&v=1\">without a stabiliser</a> the bear market's \
         median score is 780 (P10 610); \
         <a href=\"#commons-stress?price_stabilizer=on&scenarios=bull;bear&v=1\">with the stabiliser</a> \
         it is 747 (P10 562), and the bull market's P10 falls from 786 to 688: on a bonding curve a \
         buyback is only a deposit, which the curve turns into reserve while the treasury's money \
         leaves the commons.</li>\
         <li>Try <code>crash:120+1,price*0.5/120+60,churn*2</code>: a crash on day 120 and two months of \
         doubled exits.</li>\
         </ul>",
    ),
];

pub const CROWDTRAIN_STRESS: [InfoSection; 5] = [
    (
        "What is it",
        "<p>A <b>stress test</b> asks of a token economy what a risk analyst asks of a bank: <i>which \
         design stays healthy when the market turns?</i> This tab runs CrowdTrain's Monte Carlo under \
         the <b>baseline</b> (no shocks) and under each <b>scenario</b> of a list, with the same seeds, \
         and reports every health metric as P10 / median / P90 over the runs, the change of the median \
         against the baseline, and the seed's success criteria as pass or fail.</p>\
         <p>The policies of the panel (off by default) are part of the design under test, so the \
         table answers: does this policy keep the economy healthy in a bear market, or does it make \
         things worse?</p>",
    ),
    (
        "How it works",
        "<ul>\
         <li><b>A scenario is a list of shocks</b>: a start month, a duration and factors on levers. \
         <code>price</code> is an outside trade that moves the price by the factor over the shock \
         (a one-month shock is a jump, a long one a drift; with the AMM it trades in the pool); \
         <code>demand</code> multiplies revenue; <code>arrivals</code> new operators; \
         <code>churn</code> the leaving probability.</li>\
         <li><b>The library</b>: <code>bull</code> (price × 2 over the run, demand × 1.5, arrivals × 1.3), \
         <code>bear</code> (price × 0.4, demand × 0.6, churn × 1.3), <code>growth</code> (arrivals × 2.5 \
         from month 3 for a year), <code>regulatory</code> (price × 0.75 in month 12, arrivals halved for \
         6 months), and the research's dated events <code>crowdtrain_events</code>: a competitor in \
         month 18 (arrivals × 0.7 for 6 months), a regulatory shock in month 24 (price × 0.75) and a \
         recession in month 30 (churn × 1.5 for 4 months). A run shorter than an event skips it, and \
         the table says so.</li>\
         <li><b>Metrics</b> per run: the composite score; price volatility (standard deviation of \
         month-on-month price changes over the last 12 months); inflation (the circulating supply's \
         growth, a year's worth); staking participation (staked ÷ operators' tokens at the end); value \
         capture (revenue routed back to the token and the protocol ÷ revenue); price change against \
         launch; the largest fall from a high; operators at the end; revenue; the treasury; the \
         policies' interventions.</li>\
         <li><b>Verdicts</b>: volatility within 10%, inflation 2–5%, participation over 60%, value \
         capture over 20% (judged at the median), and the stress test itself: the score's P10 at or \
         above your threshold in every scenario (9 runs in 10 at least that good).</li>\
         <li>The work is split over your browser's workers in fixed tasks and put back together in \
         order: the table is the command line's, bit for bit, whatever the number of workers.</li>\
         </ul>",
    ),
    (
        "How to use it",
        "<ul>\
         <li>Edit <b>Scenarios</b>: library names joined by <code>;</code> (or <code>all</code>), or your \
         own, e.g. <code>crash:6+1,price*0.5/6+3,churn*2</code> — the price halves in month 6 and churn \
         doubles for 3 months. Change a library scenario by writing it out under its name.</li>\
         <li>Set the <b>threshold</b> on the score, switch policies on in the Policies sections, and \
         read the table: each cell has the median in bold, P10 – P90 and the change against the \
         baseline; shaded cells fail a criterion.</li>\
         <li>The <b>fan chart</b> draws a series (price, supply, participation, operators, treasury) \
         under a scenario against the baseline; the <b>spread chart</b> one metric across every \
         scenario.</li>\
         <li>Export the table (CSV), the report (JSON) or the bands (CSV). The same link with \
         <code>flywheel stress crowdtrain --params '#crowdtrain-stress?…' --json</code> prints the same \
         report.</li>\
         </ul>",
    ),
    (
        "Things to notice",
        "<ul>\
         <li>Under the reference price formula (the default) the price is an index that soars with \
         revenue; a bull or bear drift is partly undone by the formula's pull toward its fundamental. \
         With the AMM (the <b>Consistent economy</b> preset) outside trades move the pool's price for good.</li>\
         <li>Under the reference formula the stabiliser's band is a multiple of the first month's \
         close (the index leaves its launch value of 0.10 in month 1); with the AMM, of the launch \
         price.</li>\
         <li>At the defaults nobody reaches tier 4, so there is no revenue: value capture is 0 and \
         value distribution has nothing to split. Lower the hardware stake to see revenue arrive.</li>\
         <li>Every scenario runs the baseline's seeds, so a difference is the shock's, not luck's.</li>\
         </ul>",
    ),
    (
        "Things to try",
        "<ul>\
         <li><b>A policy that rescues:</b> the consistent economy in a bear market \
         <a href=\"#crowdtrain-stress?threshold=0.3&reward_source=emission_pool&supply_accounting=consistent&price_model=amm&hardware_stake=once_at_t4&scenarios=bear&v=1\">fails</a> \
         (median score 0.31 in the baseline, 0.12 under bear; the price falls 87%). With the \
         <a href=\"#crowdtrain-stress?threshold=0.3&reward_source=emission_pool&supply_accounting=consistent&price_model=amm&hardware_stake=once_at_t4&price_stabilizer=on&treasury_start=2000000&scenarios=bear&v=1\">price stabiliser and a $2M treasury</a> \
         buying back below 0.8× the launch price, the bear's median score is 0.31 and the price \
         falls 29%: the test passes. Open the fan chart of the treasury to see what it cost.</li>\
         <li><b>A policy that makes things worse:</b> \
         <a href=\"#crowdtrain-stress?threshold=0.3&reward_source=emission_pool&supply_accounting=consistent&price_model=amm&hardware_stake=once_at_t4&dynamic_rewards=on&scenarios=bull;bear&v=1\">dynamic rewards</a> \
         raise rewards while few operators stake — up to twice the budget — and operators sell \
         them: the baseline's median score falls from 0.31 to 0.17 and the price by 85%.</li>\
         <li>Your own shock: <a href=\"#crowdtrain-stress?scenarios=crash:6+1,price*0.5/6+3,churn*2&v=1\">a crash in month 6</a>.</li>\
         <li>Lengthen the run to 36 months to let the month-30 recession of <code>crowdtrain_events</code> in.</li>\
         </ul>",
    ),
];

pub const DATADAO_STRESS: [InfoSection; 5] = [
    (
        "What is it",
        "<p>The dataDAO's run under market scenarios: a <b>stress test</b> of the data cooperative. \
         The model itself draws no random numbers (unless membership minting is on), so an \
         <b>outside market</b> trades in the pool every step with a random factor (its noise, 1% a step by \
         default): each run is one path of that market, and the table reports P10 / median / P90 over \
         the runs, the baseline beside each scenario, and the seed's success criteria.</p>",
    ),
    (
        "How it works",
        "<ul>\
         <li>The dataDAO counts steps; for yearly rates a step is taken as a day (365 a year), and \
         the scenarios' months are 30 steps. The library: <code>bull</code> and <code>bear</code> \
         over the whole run (price × 2 or × 0.4 by outside trades; demand — the organizations' \
         purchases — × 1.5 or × 0.6), <code>growth</code> (arrivals × 2.5 from step 61 for 360 \
         steps), <code>regulatory</code> (price × 0.75 at step 331, arrivals halved for 180 steps). \
         Members never leave the dataDAO, so churn factors do nothing here (the table says so).</li>\
         <li><b>The score</b> is the price kept: the last price ÷ the first step's. Staking \
         participation counts the dDT locked as liquidity in the pool against the members' own; \
         revenue is the pool's fees; value capture what liquidity providers (the dataDAO's stakers) \
         and the policies took back of them.</li>\
         <li>Run <i>i</i> draws the market of seed + <i>i</i> under every scenario; the workers' tasks \
         come back together in order: the command line's table, bit for bit.</li>\
         </ul>",
    ),
    (
        "How to use it",
        "<ul>\
         <li>List scenarios (names joined by <code>;</code>, or your own \
         <code>name:START+DURATION,lever*factor/…</code> in steps), set the threshold on the price kept, \
         switch policies on, and read the table and the charts.</li>\
         <li><code>flywheel stress datadao --params '#datadao-stress?…' --json</code> prints the same \
         report; <code>--csv</code> the same table.</li>\
         </ul>",
    ),
    (
        "Things to notice",
        "<ul>\
         <li>Inflation is high at the defaults: every newcomer brings new dDT, which counts as \
         supply growth.</li>\
         <li>Price volatility is mostly the outside market's noise: set it to 0 to see the model's own \
         path (then every run is the same).</li>\
         </ul>",
    ),
    (
        "Things to try",
        "<ul>\
         <li><b>A policy that rescues:</b> in a bear market the dataDAO \
         <a href=\"#datadao-stress?threshold=0.35&scenarios=bear&v=1\">keeps 31% of its price</a> \
         (median); a <a href=\"#datadao-stress?threshold=0.35&price_stabilizer=on&treasury_start=5000&scenarios=bear&v=1\">stabiliser with 5,000 xDAI</a> \
         buying back below 0.8× the first step's price keeps 44%: the 9-in-10 runs now stay above the 0.35 threshold.</li>\
         <li><b>A policy that makes things worse:</b> the \
         <a href=\"#datadao-stress?threshold=0.35&inflation_controller=on&scenarios=bear&v=1\">inflation controller</a> \
         mints dDT into the Pie; members sell what they are paid and the price kept falls to 25% under bear.</li>\
         <li>Set the outside noise to 0.03 and watch the spread of the price kept widen.</li>\
         </ul>",
    ),
];

#[cfg(test)]
mod tests {
    #[test]
    fn commons_info_has_the_five_sections_in_order() {
        let heads: Vec<&str> = super::COMMONS.iter().map(|s| s.0).collect();
        assert_eq!(heads, super::SECTIONS);
        for (_, html) in super::COMMONS {
            assert!(html.len() > 200);
        }
    }

    #[test]
    fn crowdtrain_info_covers_switches_and_the_tier_4_wall() {
        let heads: Vec<&str> = super::CROWDTRAIN.iter().map(|s| s.0).collect();
        assert_eq!(heads, super::SECTIONS);
        let all: String = super::CROWDTRAIN.iter().map(|s| s.1).collect();
        for switch in [
            "reward_source",
            "supply_accounting",
            "price_model",
            "hardware_stake",
        ] {
            assert!(all.contains(switch), "the Info does not explain {switch}");
        }
        assert!(all.contains("1,000 tokens") && all.contains("4 × 125 = 500"));
    }

    /// Every example link in the Info loads without a problem.
    #[test]
    fn info_links_are_valid_states() {
        use flywheel_core::codec::decode;
        use flywheel_core::commons::explorer::AbcParams;
        use flywheel_core::crowdtrain::CtParams;
        let mut seen = 0;
        for (_, html) in super::COMMONS
            .iter()
            .chain(super::CROWDTRAIN.iter())
            .chain(super::DATADAO.iter())
            .chain(super::COMMONS_DAO.iter())
            .chain(super::CONVICTION.iter())
        {
            for link in html.split("href=\"").skip(1) {
                let link = &link[..link.find('"').unwrap()];
                let issues = if link.starts_with("#commons-dao") {
                    decode::<flywheel_core::commons::dao::DaoParams>(link).issues
                } else if link.starts_with("#conviction") {
                    decode::<flywheel_core::commons::conviction::ConvictionParams>(link).issues
                } else if link.starts_with("#crowdtrain") {
                    decode::<CtParams>(link).issues
                } else if link.starts_with("#datadao") {
                    decode::<flywheel_core::datadao::DdParams>(link).issues
                } else {
                    decode::<AbcParams>(link).issues
                };
                assert!(issues.is_empty(), "{link}: {issues:?}");
                seen += 1;
            }
        }
        assert!(seen >= 25, "only {seen} links");
    }

    /// The stress tabs' Info: five sections, links that load, and the numbers it quotes for its
    /// examples (a policy that rescues, one that makes things worse) are the model's.
    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn stress_info_examples_say_what_the_runs_show() {
        use flywheel_core::codec::decode;
        use flywheel_core::crowdtrain::stress::CrowdTrain;
        use flywheel_core::datadao::stress::DataDao;
        use flywheel_core::stress::{run_here, StressParams, StressReport};
        fn links(info: &[super::InfoSection]) -> Vec<String> {
            info.iter()
                .flat_map(|(_, html)| html.split("href=\"").skip(1))
                .map(|l| l[..l.find('"').unwrap()].replace("&amp;", "&"))
                .collect()
        }
        fn median(r: &StressReport, scenario: &str, metric: usize) -> f64 {
            let s = r.scenarios.iter().find(|s| s.name == scenario).unwrap();
            s.metrics[metric].p50
        }
        for info in [
            &super::CROWDTRAIN_STRESS,
            &super::DATADAO_STRESS,
            &super::COMMONS_STRESS,
        ] {
            let heads: Vec<&str> = info.iter().map(|s| s.0).collect();
            assert_eq!(heads, super::SECTIONS);
        }
        let ct = links(&super::CROWDTRAIN_STRESS);
        let mut ct_reports = Vec::new();
        for link in &ct {
            let d = decode::<StressParams<CrowdTrain>>(link);
            assert!(d.issues.is_empty(), "{link}: {:?}", d.issues);
            ct_reports.push(run_here(&d.model, 2));
        }
        // Rescue: fails without the stabiliser, passes with it; the medians quoted.
        let (without, with, worse) = (&ct_reports[0], &ct_reports[1], &ct_reports[2]);
        assert!(!without.passes && with.passes);
        assert_eq!(format!("{:.2}", median(without, "baseline", 0)), "0.31");
        assert_eq!(format!("{:.2}", median(without, "bear", 0)), "0.12");
        assert_eq!(format!("{:.0}", -100.0 * median(without, "bear", 5)), "87");
        assert_eq!(format!("{:.2}", median(with, "bear", 0)), "0.31");
        assert_eq!(format!("{:.0}", -100.0 * median(with, "bear", 5)), "29");
        // Worse: dynamic rewards lower the baseline's median score and price.
        assert_eq!(format!("{:.2}", median(worse, "baseline", 0)), "0.17");
        assert_eq!(
            format!("{:.0}", -100.0 * median(worse, "baseline", 5)),
            "85"
        );
        let dd = links(&super::DATADAO_STRESS);
        let mut dd_reports = Vec::new();
        for link in &dd {
            let d = decode::<StressParams<DataDao>>(link);
            assert!(d.issues.is_empty(), "{link}: {:?}", d.issues);
            dd_reports.push(run_here(&d.model, 2));
        }
        let cm = links(&super::COMMONS_STRESS);
        let mut cm_reports = Vec::new();
        for link in &cm {
            let d = decode::<StressParams<flywheel_core::commons::stress::CommonsDao>>(link);
            assert!(d.issues.is_empty(), "{link}: {:?}", d.issues);
            cm_reports.push(run_here(&d.model, 2));
        }
        let spread = |r: &StressReport, s: &str| {
            let m = r.scenarios.iter().find(|x| x.name == s).unwrap().metrics[0];
            (m.p10.round(), m.p50.round())
        };
        assert_eq!(spread(&cm_reports[0], "bear"), (610.0, 780.0));
        assert_eq!(spread(&cm_reports[1], "bear"), (562.0, 747.0));
        assert_eq!(spread(&cm_reports[0], "bull").0, 786.0);
        assert_eq!(spread(&cm_reports[1], "bull").0, 688.0);
        let (plain, rescued, worse) = (&dd_reports[0], &dd_reports[1], &dd_reports[2]);
        assert_eq!(format!("{:.0}", 100.0 * median(plain, "bear", 0)), "31");
        assert_eq!(format!("{:.0}", 100.0 * median(rescued, "bear", 0)), "44");
        assert!(!plain.passes && rescued.passes);
        assert_eq!(format!("{:.0}", 100.0 * median(worse, "bear", 0)), "25");
    }

    #[test]
    fn commons_dao_info_lists_the_fixes_and_quotes_the_model() {
        use flywheel_core::commons::conviction::{alpha, calculate, threshold, ConvictionParams};
        use flywheel_core::commons::dao::DaoParams;
        use flywheel_core::commons::montecarlo::run_monte_carlo;
        for info in [&super::COMMONS_DAO, &super::CONVICTION] {
            let heads: Vec<&str> = info.iter().map(|s| s.0).collect();
            assert_eq!(heads, super::SECTIONS);
        }
        let all: String = super::COMMONS_DAO.iter().map(|s| s.1).collect();
        for fix in [
            "own draw",
            "exactly what was minted",
            "own generator",
            "clamped to 1",
        ] {
            assert!(all.contains(fix), "the Info does not say the fix '{fix}'");
        }
        // Conviction per token: 6.7 (10 days), 2.4 (3), 19 (30).
        for (days, per_token) in [(10.0, 6.7), (3.0, 2.4), (30.0, 19.0)] {
            assert!(
                (1.0 / (1.0 - alpha(days)) - per_token).abs() < 0.15,
                "{days}"
            );
        }
        // 15% of the pool needs nine times the threshold of 5%; 500,000 staked never passes.
        let ratio =
            threshold(30_000.0, 2e5, 1e7, 0.2).unwrap() / threshold(1e4, 2e5, 1e7, 0.2).unwrap();
        assert!((ratio - 9.0).abs() < 1e-9);
        let low = calculate(&ConvictionParams {
            stake: 500_000.0,
            ..ConvictionParams::default()
        });
        assert_eq!(low.days_to_pass, None);
        // The default DAO's median run.
        let r = run_monte_carlo(&DaoParams::default(), &mut |_, _| true);
        let p50 = |m: &str| r.metric(m).unwrap().p50;
        assert!((0.09..0.12).contains(&p50("final_price")));
        let price = r.metric("final_price").unwrap();
        assert!((0.05..0.07).contains(&price.p10) && (0.22..0.28).contains(&price.p90));
        assert!((13.0..=14.0).contains(&p50("participants_final")));
        assert!((140.0..160.0).contains(&p50("proposals_funded")));
        assert!(p50("proposals_failed") > p50("proposals_completed"));
        let granted = *r.band("granted").unwrap().p50.last().unwrap();
        assert!((7e6..9e6).contains(&granted), "{granted}");
    }

    /// The numbers quoted in "Things to notice" are the model's.
    #[test]
    fn quoted_numbers_match_the_model() {
        use flywheel_core::commons::explorer::{evaluate, AbcParams};
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
