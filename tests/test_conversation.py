"""Conversations in the core: follow-ups refine, refer to and page the previous answer of the same user and place."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from bot.answer.context import Context, ContextStore, Shown
from bot.answer.conversation import Conversations
from bot.answer.service import PaperService
from bot.config import Settings
from bot.understand.followup import read_followup
from bot.understand.merge import merge
from bot.understand.query import Query
from conftest import DATA, ROOT, TODAY


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def chat(seed):
    clock = Clock()
    conversations = Conversations(seed, minutes=15, cap=100, clock=clock)

    def say(text: str, key: object = "me"):
        return conversations.say(key, text, today=TODAY)

    say.clock = clock  # type: ignore[attr-defined]
    say.conversations = conversations  # type: ignore[attr-defined]
    return say


TITLE_SDE = "Score-Based Generative Modeling through Stochastic Differential Equations"


def titles(answer) -> list[str]:
    return [p.title for p in answer.reply.records]


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("and with code?", "refine"),
        ("only 2023", "refine"),
        ("what about Luke Metz?", "refine"),
        ("without CV", "refine"),
        ("oldest first", "refine"),
        ("just the top 3", "refine"),
        ("any year", "refine"),
        ("with or without code", "refine"),
        ("drop the author", "refine"),
        ("and on NeRF?", "swap"),
        ("the second one", "reference"),
        ("#3", "reference"),
        ("the last one", "reference"),
        ("the first two", "reference"),
        ("who wrote it", "reference"),
        ("when was it published", "reference"),
        ("cite them", "reference"),
        ("abstract of the second one", "reference"),
        ("papers like it", "reference"),
        ("how many of those have code", "reference"),
        ("who coauthored most on those", "reference"),
        ("more", "page"),
        ("next", "page"),
        ("previous page", "page"),
        ("start over", "reset"),
        ("new question", "reset"),
        ("forget that", "reset"),
        ("papers on GANs", "fresh"),
        ("what is CAT3D?", "fresh"),
        ("papers with code", "refine"),
        ("how many papers overall?", "fresh"),
    ],
)
def test_the_issues_examples_are_read_as_what_they_are(seed, message, kind):
    assert read_followup(message, seed.lexicon, TODAY).kind == kind


def test_a_new_value_replaces_the_old_one_and_removals_clear_it(seed):
    base = seed.understand("diffusion papers by Luke Metz from 2023 with code", TODAY)
    later = merge(base, read_followup("what about 2021?", seed.lexicon, TODAY))
    assert (
        (later.dates.first.year, later.dates.last.year) == (2021, 2021) and later.has_code is True and later.topic == "diffusion"
    )
    assert merge(base, read_followup("what about Abhishek Kumar?", seed.lexicon, TODAY)).authors == ["abhishek kumar"]
    cleared = merge(base, read_followup("any year, with or without code", seed.lexicon, TODAY))
    assert cleared.dates is None and cleared.has_code is None and cleared.authors == ["luke metz"]
    flipped = merge(base, read_followup("not by Luke Metz", seed.lexicon, TODAY))
    assert flipped.authors == [] and flipped.exclude_authors == ["luke metz"]


def test_refinements_carry_the_question_and_say_so(chat):
    first = chat("diffusion papers from 2023")
    assert len(first.reply.records) == 4 and first.follows is None
    refined = chat("and with code?")
    assert refined.follows == "diffusion papers from 2023" and not refined.reply.records
    assert "following up on: diffusion papers from 2023 · + with code" in refined.text
    swapped = chat("with or without code; and on NeRF?")
    assert swapped.follows and {
        "Learning a Diffusion Prior for NeRFs",
        "ReconFusion: 3D Reconstruction with Diffusion Priors",
    } <= set(titles(swapped))
    assert all(p.year == 2023 for p in swapped.reply.records)


def test_references_use_the_order_and_page_the_user_saw(chat):
    listing = chat("newest papers")
    assert listing.page_count == 5
    assert titles(chat("the second one")) == [titles(listing)[1]]
    chat("newest papers")
    page_two = chat("more")
    assert "page 2/5" in page_two.text and titles(page_two) == titles(listing)[10:20]
    assert titles(chat("the second one")) == [titles(listing)[11]]  # the second on the page shown
    assert titles(chat("#3")) == [titles(listing)[2]]  # a printed number is the record with that number
    assert titles(chat("who wrote the first two?")) == titles(listing)[10:12]


def test_page_buttons_move_the_page_ordinals_count_on(chat):
    listing = chat("newest papers")
    chat.conversations.saw_page("me", listing, 3)
    assert titles(chat("the last one")) == [titles(listing)[29]]


def test_lookups_on_what_the_last_answer_was_about(chat):
    chat("what is CAT3D?")
    who = chat("who wrote it?")
    assert who.intent == "paper" and "Ruiqi Gao" in who.text and "CAT3D" in titles(who)[0]
    like = chat("papers like it")
    assert like.intent == "similar" and not any("CAT3D:" in t for t in titles(like))
    assert "CAT3D" in titles(chat("when was it published?"))[0]  # "it" is still what the similar search started from
    cites = chat("cite the first two")
    assert cites.intent == "cite" and titles(cites) == titles(like)[:2] and cites.text.count("```bibtex") == 2


def test_aggregates_over_those_are_exact(chat):
    chat("papers by Luke Metz")
    counted = chat("how many of those have code?")
    assert counted.intent == "count" and len(counted.reply.records) == 2
    coauthors = chat("who coauthored most on those")
    assert coauthors.intent == "coauthors" and "Niru Maheswaranathan" in coauthors.text


def test_one_users_follow_up_never_uses_another_users_context(chat):
    chat("diffusion papers from 2023", key=("general", "alice"))
    chat("papers by Luke Metz", key=("general", "bob"))
    alice = chat("the second one", key=("general", "alice"))
    bob = chat("the second one", key=("general", "bob"))
    assert titles(alice) == ["Learning a Diffusion Prior for NeRFs"]
    assert titles(bob) == [
        "Tasks, stability, architecture, and compute: Training more effective learned optimizers, and using them to train themselves"
    ]
    carol = chat("the second one", key=("general", "carol"))
    assert carol.intent == "hint" and not carol.reply.records


@pytest.mark.parametrize(
    "message",
    [
        "and with code?",
        "who wrote it?",
        "the second one",
        "more",
        "oldest first",
        "only 2023",
        "how many?",
        "cite them",
        "without CV",
    ],
)
def test_a_follow_up_with_nothing_to_follow_gets_a_short_hint(chat, message):
    answer = chat(message)
    assert answer.intent == "hint" and not answer.reply.records and answer.follows is None
    assert "nothing to follow up on" in answer.text and len(answer.text) < 400


def test_start_over_forgets_and_contexts_expire(chat):
    chat("papers on NeRF")
    assert chat("start over").intent == "reset"
    assert chat("the first one").intent == "hint"
    chat("papers on NeRF")
    chat.clock.now += 14 * 60
    assert chat("the first one").follows == "papers on NeRF"  # each use keeps it alive
    chat.clock.now += 15 * 60 + 1
    assert chat("the first one").intent == "hint"


def test_paging_past_the_end_says_so(chat):
    chat("papers on diffusion")
    assert "page 2/2" in chat("next").text
    last = chat("next")
    assert last.intent == "hint" and "last page" in last.text
    assert "page 1/2" in chat("previous page").text
    assert chat("previous page").intent == "hint"


def test_a_slash_commands_question_starts_a_context(seed):
    conversations = Conversations(seed)
    query = Query(text="diffusion", topic="diffusion")
    conversations.start("me", query, "/search query: diffusion")
    refined = conversations.say("me", "only 2024", today=TODAY)
    assert refined.follows == "/search query: diffusion" and {p.year for p in refined.reply.records} == {2024}


def test_references_survive_an_index_swap():
    service = PaperService.from_paths(Settings(responses=ROOT / "responses"), [DATA / "mini.jsonl"], persist=False)
    conversations = Conversations(service)
    listing = conversations.say("me", "papers", today=TODAY)
    service.use_index(service.index.appended([]))  # a reload: a new index object, same records
    assert [p.title for p in conversations.say("me", "the second one", today=TODAY).reply.records] == [
        listing.reply.records[1].title
    ]


def test_the_store_keeps_its_cap_and_forgets_the_least_recently_used():
    clock = Clock()
    store = ContextStore(seconds=900, cap=3, clock=clock)
    for user in "abcd":
        store.put(user, Context(user, Query(text=user)))
    assert len(store) == 3 and store.get("a") is None
    store.get("b")  # used: now the most recent
    store.put("e", Context("e", Query(text="e")))
    assert store.get("b") is not None and store.get("c") is None


def test_the_store_stays_within_its_cap_under_100000_users():
    """Memory: 100,000 users each leave a context holding a full page of records; the store keeps at most its cap."""
    cap = 2_000
    store = ContextStore(seconds=900, cap=cap, clock=Clock())
    docs = np.arange(100, dtype=np.int64)

    def context(user: int) -> Context:
        query = Query(text=f"papers on topic {user}", topic=f"topic {user}")
        return Context(query.text, query, query, Shown(query, docs.copy(), 1, 10, 10, ""))

    tracemalloc.start()
    for user in range(cap):
        store.put(("channel", user), context(user))
    full, _ = tracemalloc.get_traced_memory()
    for user in range(cap, 100_000):
        store.put(("channel", user), context(user))
        assert len(store) <= cap
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(store) == cap and store.get(("channel", 99_999)) is not None and store.get(("channel", 0)) is None
    assert after < full * 1.2  # bounded: 98,000 more users cost nothing once the store is full


def test_context_settings_are_read_and_checked(tmp_path):
    from bot.config import load_settings
    from bot.errors import ConfigError

    config = tmp_path / "config.yaml"
    config.write_text(f"responses: {ROOT / 'responses'}\nchat:\n  context_minutes: 5\n  context_cap: 500\n")
    chat = load_settings(config).chat
    assert (chat.context_minutes, chat.context_cap) == (5.0, 500)
    config.write_text(f"responses: {ROOT / 'responses'}\nchat:\n  context_cap: 0\n")
    with pytest.raises(ConfigError, match="context_cap"):
        load_settings(config)


def test_a_description_that_names_no_listed_paper_gets_the_caveat_not_an_error(chat):
    for message in ("what came out in 2017", "bibtex", "berkeley stuff"):
        chat(message)
    venue = chat("which venue was the video one at")
    assert "the corpus does not say where papers were published" in venue.text


def test_yes_no_about_a_listed_record_says_which_and_shows_it(chat):
    chat("all papers oldest first")
    second = chat("is the second one in ML?")
    assert titles(second) == ["Analyzing noise in autoencoders and deep networks"]
    assert "no: category ML" in second.text


def test_is_a_paper_on_the_list_says_where_and_keeps_the_list(chat):
    listing = chat("cv papers newest first")
    assert "DreamFusion: Text-to-3D using 2D Diffusion" in titles(listing)[10:]
    on_page_two = chat("is dreamfusion on this page?")
    assert titles(on_page_two) == ["DreamFusion: Text-to-3D using 2D Diffusion"]
    assert (
        f"yes: it is in the list shown, #{titles(listing).index('DreamFusion: Text-to-3D using 2D Diffusion') - 9} on page 2"
        in on_page_two.text
    )
    not_listed = chat("was VeLO in that list?")
    assert titles(not_listed)[0].startswith("VeLO") and "no: it is not among the 16 records listed" in not_listed.text
    last = chat("and the last one there")
    assert titles(last) == [titles(listing)[9]]  # the list still shown, page 1


def test_reverse_it_turns_the_date_order_and_not_just_three_lifts_the_limit(chat):
    listing = chat("lg papers from 2019 and 2020, newest first")
    reversed_ = chat("reverse it")
    assert titles(reversed_) == list(reversed(titles(listing))) or titles(reversed_)[0] == titles(listing)[-1]
    assert "oldest first" in reversed_.text
    three = chat("top 3 only")
    assert titles(three) == titles(reversed_)[:3]
    everything = chat("everything, not just 3")
    assert len(everything.reply.records) == len(listing.reply.records)


def test_both_of_them_together_after_two_people(chat):
    chat("Metz's papers")
    chat("what about Barron's")
    both = chat("now both of them together")
    assert both.reply.records == [] and "Luke Metz and Jonathan T. Barron" in both.text


def test_a_month_without_a_year_keeps_that_month_of_the_list(chat):
    chat("cv papers from 2023")
    december = chat("hmm just the december ones")
    assert sorted(titles(december)) == [
        "Inpaint3D: 3D Scene Content Generation using 2D Inpainting Diffusion",
        "ReconFusion: 3D Reconstruction with Diffusion Priors",
    ]
    assert "month: December" in december.text


def test_the_next_one_after_a_record_shown_is_the_record_beside_it(chat):
    listing = chat("Ruiqi Gao papers, newest first")
    assert titles(chat("tell me about the first one")) == titles(listing)[:1]
    assert titles(chat("and the next one?")) == titles(listing)[1:2]
    assert titles(chat("the previous one")) == titles(listing)[:1]


def test_the_year_before_that_moves_the_dates_a_year(chat):
    chat("cv papers from 2023")
    before = chat("ok and the year before that")
    assert "dates: 2022-01-01 to 2022-12-31" in before.text and "category CV" in before.text
    assert {p.date.year for p in before.reply.records} == {2022}


def test_keep_the_code_filter_brings_it_back_after_it_was_dropped(chat):
    chat("luke metz papers w/ code")
    chat("with or without code")
    kept = chat("nah drop luke, keep the code filter")
    assert len(kept.reply.records) == 6 and all(p.has_code for p in kept.reply.records)


def test_a_claim_about_the_paper_in_focus_gets_yes_or_no(chat):
    chat("velo paper")
    year = chat("is that the 2022 one?")
    assert titles(year)[0].startswith("VeLO") and "yes: dates: 2022-01-01 to 2022-12-31" in year.text
    assert "no: category CV" in chat("was it a CV paper?").text
    both = chat("when did it come out and who's on it")
    assert titles(both)[0].startswith("VeLO") and "Luke Metz" in both.text and "2022" in both.text


def test_what_else_did_she_write_lists_the_first_authors_other_papers(chat):
    chat("2024 stuff oldest first")
    chat("who wrote the 3rd one")
    others = chat("and what else did she write")
    assert sorted(titles(others)) == [
        "CAT4D: Create Anything in 4D with Multi-View Video Diffusion Models",
        "Learning Energy-Based Models by Diffusion Recovery Likelihood",
    ]
    assert "by Ruiqi Gao" in others.text


def test_forget_the_end_year_keeps_the_start(chat):
    chat("papers between 2019 and 2020")
    chat("make that 2019 to 2021")
    opened = chat("forget the end year, everything from 2019 on")
    assert "from 2019-01-01" in opened.text and len(opened.reply.records) == 34


def test_who_else_is_on_them_counts_the_people_of_the_listed_records(chat):
    chat("ganguli papers")
    people = chat("who else is on them")
    assert people.intent == "coauthors" and "Jascha Sohl-Dickstein" in people.text


def test_after_a_list_of_one_the_first_author_is_of_that_record(chat):
    chat("the anthropic paper")
    who = chat("who's the first author")
    assert titles(who)[0].startswith("VeLO") and "Luke Metz" in who.text
    assert chat("bibtex it pls").intent == "cite"


def test_next_one_with_an_ask_and_the_third_with_a_question(chat):
    chat("how many papers in 2022")
    listing = chat("list them")
    chat("the first one")
    assert titles(chat("next one, abstract pls")) == titles(listing)[1:2]
    assert titles(chat("and the third, does it have code")) == titles(listing)[2:3]


def test_why_is_a_paper_not_in_the_list_says_which_filter_it_fails(chat):
    chat("diffusion papers with code")
    why = chat("why isn't DreamFusion in there?")
    assert titles(why)[0].startswith("DreamFusion") and "it does not fit: with code" in why.text
    chat("lg papers 2019 and 2020, newest first", key="someone else")
    found = chat("is the Song et al SDE paper somewhere in this list?", key="someone else")
    assert titles(found)[0].startswith("Score-Based") and "yes: it is in the list shown" in found.text


def test_chatter_and_the_same_time_period_add_no_topic(chat):
    chat("cv 2024 with code")
    wider = chat("oh rip. ok without the code part then")
    assert len(wider.reply.records) == 5 and "topic" not in wider.reply.understood


def test_a_claim_as_a_first_message_is_checked_and_becomes_the_paper_in_focus(chat):
    claim = chat("DreamFusion came out in 2023, right?")
    assert titles(claim)[0].startswith("DreamFusion") and "no: dates: 2023-01-01 to 2023-12-31" in claim.text
    assert titles(chat("ok and did they release code for it"))[0].startswith("DreamFusion")


def test_the_older_and_the_newer_one_pick_among_the_records_listed(chat):
    assert titles(chat("kingma papers")) == ["Variational Diffusion Models", TITLE_SDE]
    older = chat("open the older one")
    assert titles(older) == [TITLE_SDE] and older.follows
    assert "Yang Song" in chat("other people on it?").text
    chat("Abhishek Kumar papers", key="other")
    oldest = chat("abstract of the oldest one", key="other")
    assert titles(oldest) == ["Weakly Supervised Disentanglement with Guarantees"]
    assert titles(chat("bibtex for it", key="other")) == ["Weakly Supervised Disentanglement with Guarantees"]


def test_terse_lookups_and_checks_ask_about_the_record_shown(chat):
    chat("gumbel softmax paper")
    checked = chat("2016?")
    assert titles(checked)[0].startswith("Categorical Reparameterization") and "yes: dates: 2016" in checked.text
    assert "Eric Jang" in chat("authors").text
    chat("papers from 2019", key="other")
    chat("#2 authors", key="other")
    dated = chat("when did", key="other")
    assert dated.intent == "paper" and dated.follows and "2019" in dated.text
    chat("top coauthors", key="third")
    papers = chat("Metz's papers", key="third")
    assert papers.intent == "search" and len(papers.reply.records) == 4
    cited = chat("#1 bibtex", key="third")
    assert cited.intent == "cite" and titles(cited)[0].startswith("VeLO")


def test_a_person_added_among_the_records_listed_keeps_the_people_before(chat):
    chat("Yang Song papers")
    both = chat("which of these is with Kingma")
    assert titles(both) == [TITLE_SDE]  # the one of his two that Kingma is on
    chat("papers by Jascha Sohl-Dickstein", key="other")
    shared = chat("just the ones Surya Ganguli is also on", key="other")
    assert len(shared.reply.records) == 2 and "Surya Ganguli" in shared.reply.understood


def test_a_whole_question_about_him_starts_afresh(chat):
    chat("Could you show me his papers with code?")
    epstein = chat("Which papers did he write with Dave Epstein?")
    assert not epstein.follows and len(epstein.reply.records) == 2
    listed = chat("Which of his papers came with code? Could you list them?", key="new")
    assert listed.intent == "search" and len(listed.reply.records) == 6
    chat("I'd like to see his papers about continual learning, please.", key="third")
    table = chat("Never mind that. Could you show me a breakdown of his papers by year?", key="third")
    assert table.intent == "breakdown" and not table.follows
    who = chat("Okay, completely different question: who is Surya Ganguli?", key="third")
    assert who.intent == "author" and not who.follows


def test_an_ordinal_past_a_page_is_the_number_printed_and_a_check_names_its_record(chat):
    listing = chat("papers before 2020, oldest first")
    assert len(listing.reply.records) == 18
    twelfth = chat("the 12th one")
    assert titles(twelfth) == titles(listing)[11:12]
    chat("papers with code from 2020", key="other")
    chat("drop the code part", key="other")
    checked = chat("hmm, is the VIB one really 2020?", key="other")
    assert titles(checked) == ["VIB is Half Bayes"] and "yes: dates: 2020" in checked.text


def test_a_refinement_that_leaves_nothing_says_what_its_new_part_finds_alone(chat):
    chat("papers with code")
    empty = chat("and with Dave Epstein?")
    assert not empty.reply.records and "on its own, “by Dave Epstein” gives 2 papers" in empty.text


def test_a_long_follow_up_is_read_by_its_changes_not_its_story(chat):
    chat("ben mildenhall papers")
    swapped = chat(
        "hmm ok, change of plan actually. Swap Mildenhall for Jon Barron, and don't limit it to 3D stuff, I want whatever"
        " Barron did with Ben regardless of topic. But leave out anything from before 2020, this is for a modern-methods"
        " seminar and the students will fall asleep if I show them something from 2015. Also please put them oldest first"
        " so the story builds up."
    )
    assert swapped.follows and titles(swapped)[0].startswith("Zero-Shot Text-Guided") and len(swapped.reply.records) == 2
    assert "topic" not in swapped.reply.understood


def test_long_polite_follow_ups_are_read_by_their_ask_not_their_remarks(chat):
    chat("Could you list all of Ben Poole's papers, newest first please")
    second = chat("can you go to the next page of results")
    third = chat("and the page after that one too, please")
    assert titles(third) and not set(titles(third)) & set(titles(second))
    back = chat("actually, could you go back one page, I want to look at those again")
    assert titles(back) == titles(second)
    chat("Show me the papers in the LG category, newest first")
    assert len(titles(chat("please give me 10 more of those"))) == 10
    rest = chat("and then the remaining ones after that, which I think should only be a few")
    assert len(titles(rest)) == 3
    chat("papers with jon barron", key="other")
    last = chat("I think the last one on that list looks interesting, when was it published?", key="other")
    assert titles(last) == ["The Fast Bilateral Solver"]


def test_a_reference_then_a_check_and_the_askers_own_plans(chat):
    chat("Could you show me his papers from 2022, ordered from oldest to newest")
    checked = chat("the third one, is that the one about learned optimizers?")
    assert titles(checked) == ["VeLO: Training Versatile Learned Optimizers by Scaling Up"] and "yes" in checked.text
    chat("papers with luke metz", key="other")
    runnable = chat("and of those, which ones have code available that I could actually run?", key="other")
    assert len(titles(runnable)) == 2 and "run" not in runnable.reply.query.topic
    chat("How many papers in the computer vision category (CV) are there on his profile?", key="third")
    chat("ok, and how many of those CV papers came with released code?", key="third")
    lg = chat(
        "interesting, that's fewer than I expected, so could you do the same count with code but for the LG category instead of CV",
        key="third",
    )
    assert lg.reply.query.categories == ["LG"] and lg.reply.query.has_code and not lg.reply.query.topic


def test_a_whole_question_mid_conversation_is_answered_on_its_own(chat):
    chat("Jonathan Barron papers")
    ho = chat("Jonathan Ho papers")  # the list before adds nothing: a question of its own, not a swap
    assert not ho.follows
    assert titles(ho) == ["Imagen Video: High Definition Video Generation with Diffusion Models"]
    chat("ben's papers from 2025", key="b")
    freeman = chat("papers with c. daniel freeman", key="b")  # nothing of 2025 fits: read alone, and said so
    assert len(titles(freeman)) == 2 and "read as a new question" in freeman.text
    chat("papers from 2019", key="c")
    assert chat("make that 2022", key="c").reply.query.dates.first.year == 2022  # a fragment still refines


def test_questions_about_the_list_keep_to_the_list(chat):
    chat("papers in the ML category")
    chat("which of these is the oldest?")
    maithra = chat("are any of these by Maithra?")  # the list again, not only the oldest one picked before
    assert len(titles(maithra)) == 3
    chat("CV papers since 2023", key="b")
    chat("who wrote most of these?", key="b")
    listed = chat("which of those came out in 2024?", key="b")  # papers again after the coauthor table
    assert listed.intent == "search" and {r.year for r in listed.reply.records} == {2024}


def test_thanks_emoji_and_the_same_ask_of_another_paper(chat):
    """ "ty 🙏 cite that one": thanks and an emoji, then the ask about the paper shown; "and the delta vae one" after
    a citation cites that one too; "ty, now what about VAEs" swaps the topic and keeps the dates."""
    chat("diffusion papers")
    chat("only the ones with code")
    chat("from 2021")
    cited = chat("thanks 🙏 cite that one")
    assert cited.intent == "cite" and titles(cited) == ["Variational Diffusion Models"]
    chat("bibtex for fixing a broken elbo")
    again = chat("and the delta vae one")
    assert again.intent == "cite" and titles(again) == ["Preventing Posterior Collapse with delta-VAEs"]
    chat("gan papers since 2019")
    swapped = chat("ty, now what about VAEs")
    assert swapped.follows and "from 2019-01-01" in swapped.text
    assert "Preventing Posterior Collapse with delta-VAEs" in titles(swapped)


def test_a_first_message_that_starts_like_a_follow_up_but_asks_whole(chat):
    """ "What about before 2018, what did he publish back then?" as the very first message: a whole question, answered
    (a bare "what about 2018?" still gets the hint)."""
    first = chat("What about before 2018, what did he publish back then?")
    assert first.intent == "search" and len(titles(first)) == 12
    assert chat("what about 2018?", key="someone else").intent == "hint"


def test_dropping_one_person_keeps_the_others_and_minus_a_year(chat):
    """ "also with Jascha" then "drop Jascha": back to Surya Ganguli's papers, not to every paper; "-2020" after a
    list leaves that year out."""
    chat("Surya Ganguli papers")
    assert len(titles(chat("also with Jascha"))) == 2
    dropped = chat("drop Jascha")
    assert len(titles(dropped)) == 3 and "by Surya Ganguli" in dropped.text
    chat("papers with code", key="another")
    minus = chat("-2020", key="another")
    assert minus.follows and len(titles(minus)) == 3 and "Using a thousand optimization tasks" not in " ".join(titles(minus))


def test_show_the_first_page_again(chat):
    """ "Could you show the first page again?" after "next": page one again, not the oldest paper ("first")."""
    chat("CV papers please")
    chat("next")
    again = chat("Could you show the first page again?")
    assert again.follows and titles(again)[0] == "Masks make discriminative models great again!" and len(titles(again)) == 10


def test_lookups_after_a_paper_card_asked_politely_or_tersely(chat):
    """After one paper shown: "Could I see the abstract?" is its abstract, "whos the first author" its authors."""
    chat("Could you find the paper on Gumbel-Softmax, please?")
    abstract = chat("Could I see the abstract?")
    assert abstract.intent == "paper" and titles(abstract) == ["Categorical Reparameterization with Gumbel-Softmax"]
    chat("cat3d paper", key="other")
    first = chat("whos the first author", key="other")
    assert first.intent == "paper" and "Ruiqi Gao" in first.text and titles(first)[0].startswith("CAT3D")


def test_that_as_the_paper_just_named(chat):
    """ "what's the paper where they train an optimizer with ... TPU-months?" is that paper; "when did that come out?"
    after a list asks about its first record, as "when did it come out?" does."""
    described = chat("what's the paper where they train an optimizer with like four thousand TPU-months of compute?")
    assert described.intent == "paper" and titles(described)[0].startswith("VeLO")
    chat("diffusion papers", key="other")
    when = chat("when did that come out?", key="other")
    assert when.intent == "paper" and when.follows and len(titles(when)) == 1


def test_self_corrections_replace_what_they_correct(chat):
    """ "sorry, not Luke, Jascha" swaps the person (it found nothing: "luke and jascha" as a topic); "Rundi Wu, not
    Ruiqi Gao" is a swap, not an exclusion; "scratch that, before 2020" replaces the last change, not the whole
    question; "Drop the code requirement but keep 2020." (a capital D) drops the code filter."""
    chat("papers with Luke Metz")
    swapped = chat("sorry, not Luke, Jascha")
    assert swapped.follows and len(titles(swapped)) == 4 and TITLE_SDE in titles(swapped)
    chat("papers by Ruiqi Gao", key="b")
    rundi = chat("sorry, Rundi Wu, not Ruiqi Gao", key="b")
    assert {t.split(":")[0] for t in titles(rundi)} == {"ReconFusion", "CAT4D"}
    chat("papers with Jonathan Barron", key="c")
    chat("only after 2021", key="c")
    scratched = chat("scratch that, before 2020", key="c")
    assert scratched.follows and titles(scratched) == ["The Fast Bilateral Solver"]
    chat("papers with code from 2020", key="d")
    dropped = chat("Drop the code requirement but keep 2020.", key="d")
    assert dropped.follows and len(titles(dropped)) == 10 and "with code" not in dropped.text.split("\n")[0]


def test_a_pick_then_what_of_it(chat):
    """ "We'll pick the second one. BibTeX please." cites the second record; "the first one. Show me its abstract."
    shows the first; "who" after one record shown gives its authors."""
    chat("Papers by Surya Ganguli")
    cited = chat("We'll pick the second one. BibTeX please.")
    assert cited.intent == "cite" and titles(cited) == ["Analyzing noise in autoencoders and deep networks"]
    shown = chat("We'll take the first one for week 1. Show me its abstract.")
    assert shown.intent == "paper" and titles(shown) == ["Continual Learning Through Synaptic Intelligence"]
    who = chat("who")
    assert who.intent == "paper" and "Friedemann Zenke" in who.text


def test_one_word_asked_after_a_list_keeps_the_rest(chat):
    """ "video?" after "nerf 2024" is video papers from 2024; "luke?" after GAN papers of 2016 adds him; "ml?" after a
    category list is the ML category, though abstracts say "ML" too; the first message "video?" is a question alone."""
    chat("nerf 2024")
    video = chat("video?")
    assert video.follows and "Imagen Video: High Definition Video Generation with Diffusion Models" not in titles(video)
    chat("gan papers", key="b")
    chat("2016?", key="b")
    luke = chat("luke?", key="b")
    assert luke.follows and titles(luke) == ["Unrolled Generative Adversarial Networks"]
    chat("lg papers", key="c")
    ml = chat("ml?", key="c")
    assert ml.follows and len(titles(ml)) == 6 and "VIB is Half Bayes" in titles(ml)
    alone = chat("video?", key="d")
    assert not alone.follows and "Imagen Video: High Definition Video Generation with Diffusion Models" in titles(alone)


def test_first_author_after_a_card_and_a_filter_with_no_list(chat):
    """ "and the authors, sorry, just the first author" after one paper: its authors; "only 2020" after a card says
    there was no list to narrow (it said there was nothing to follow up on)."""
    chat("what's the Gumbel-Softmax paper?")
    first = chat("and the authors, sorry, just the first author")
    assert first.intent == "paper" and "Eric Jang" in first.text
    narrowed = chat("only 2020")
    assert narrowed.intent == "hint" and "not a list of papers" in narrowed.text and "nothing to follow up" not in narrowed.text


def test_polite_follow_ups_and_a_second_person_on_each(chat):
    """ "Would you mind telling me who the authors of the second one are?" (it searched for "telling"), "Would it be
    possible to get its BibTeX entry?"; "add Philipp Henzler as well, so that only papers with both of them remain"
    keeps both on each paper; "removing Rundi Wu and keeping only Philipp Henzler" leaves him alone."""
    chat("Could you list Ben Poole's papers from 2022, please?")
    authors = chat("Would you mind telling me who the authors of the second one are?")
    assert authors.intent == "paper" and "Jonathan Ho" in authors.text
    cited = chat("Would it be possible to get its BibTeX entry?")
    assert cited.intent == "cite" and titles(cited)[0].startswith("Imagen Video")
    chat("Could you show me the papers Ben Poole wrote with Ruiqi Gao, please?", key="b")
    chat("Would you please replace Ruiqi Gao with Rundi Wu?", key="b")
    both = chat("Could you now add Philipp Henzler as well, so that only papers with both of them remain?", key="b")
    assert [t.split(":")[0] for t in titles(both)] == ["ReconFusion"]
    henzler = chat("Would you mind removing Rundi Wu and keeping only Philipp Henzler?", key="b")
    assert len(titles(henzler)) == 3 and "SimVS: Simulating World Inconsistencies for Robust View Synthesis" in titles(henzler)


def test_separately_after_a_dash_and_the_ones_with_a_person_after_the_table(chat):
    """ "thanks — and separately, how many of his papers are CV?" starts afresh; "compare the first two" shows them;
    "show me the ones with jascha" after the coauthor table lists his papers, not people."""
    chat("papers with code")
    fresh = chat("thanks — and separately, how many of his papers are CV?")
    assert not fresh.follows and fresh.intent == "count" and "16" in fresh.text
    chat("Ben Poole papers from 2016, newest first", key="b")
    two = chat("compare the first two", key="b")
    assert titles(two) == ["Improved generator objectives for GANs", "Survey of Expressivity in Deep Neural Networks"]
    chat("top 5 coauthors of ben poole", key="c")
    ones = chat("cool, show me the ones with jascha", key="c")
    assert ones.intent == "search" and len(titles(ones)) == 4


def test_phone_shorthand_and_people_by_position(chat):
    """Phone follow-ups: "plus 2021 pls" adds the year, "4th 1 pls", "bibtex 4 it", "which r cv", "vel0"; "papers by the
    first author of that one" and "and by the third author of CAT3D?" list those people's papers; "same year but about
    discrete flows" keeps the year (it showed the one paper titled so)."""
    chat("cv paprs 2022")
    assert len(titles(chat("plus 2021 pls"))) == 3
    chat("papers with code", key="b")
    fourth = chat("4th 1 pls", key="b")
    assert fourth.intent == "paper" and len(titles(fourth)) == 1
    assert chat("bibtex 4 it", key="b").intent == "cite"
    chat("hw many papers in 2023", key="c")
    assert len(titles(chat("which r cv", key="c"))) == 5
    assert titles(chat("vel0 learned optimzer paper", key="d"))[0].startswith("VeLO")
    chat("show me CAT3D", key="e")
    first = chat("papers by the first author of that one", key="e")
    assert first.follows and "Ruiqi Gao" in first.text and len(titles(first)) == 3
    third = chat("and by the third author of CAT3D?", key="e")
    assert "Philipp Henzler" in third.text and len(titles(third)) == 3
    chat("papers on mutual information of 2019", key="f")
    kept = chat("same year but about discrete flows", key="f")
    assert kept.intent == "search" and kept.follows and "2019" in kept.text


def test_yes_or_no_about_the_list_keeps_the_list(chat):
    """ "any with code?" finding none leaves the 2024 list as what "the first" means (it pointed at nothing after);
    "is Ben Poole the first author?" of one paper says no and names the first author; "who co-wrote it?" shows its
    authors; "now the GAN ones" after diffusion papers is GAN papers; "ok, table of papers by year" as a first message
    is answered."""
    chat("what did he publish in 2024?")
    chat("any with code?")
    first = chat("is Philipp Henzler on the first?")
    assert first.intent == "paper" and titles(first)[0].startswith("SimVS")
    chat("the contrastive learning paper", key="b")
    checked = chat("is Ben Poole the first author?", key="b")
    assert checked.intent == "paper" and "no: its first author is Yonglong Tian" in checked.text
    assert "Yonglong Tian" in chat("who co-wrote it?", key="b").text
    chat("diffusion papers, newest first", key="c")
    gans = chat("now the GAN ones", key="c")
    assert len(titles(gans)) == 5 and "Unrolled Generative Adversarial Networks" in titles(gans)
    table = chat("ok, table of papers by year", key="d")
    assert table.intent == "breakdown" and "2020" in table.text


def test_reasons_around_a_follow_up_are_no_part_of_it(chat):
    """Long polite follow-ups: the reason said first or last is left out ("Since I'm really only interested in ...,
    could you restrict this to papers published before 2015?", "..., so that I can add it to my reference manager");
    "The oldest one is the most relevant to my project; could you show me its abstract?" is that record; "ugh forget
    nerf. WITH CODE" drops the topic; "ok forget 2013. Maithra's expressivity stuff?" drops the year."""
    chat("Could you list the papers Ben Poole co-authored with Jascha Sohl-Dickstein?")
    early = chat(
        "Since I'm really only interested in what he did as a graduate student, could you restrict this to papers published before 2015?"
    )
    assert early.follows and len(titles(early)) == 2
    code = chat(
        "And of those two, because I need something I can actually run for my replication, which ones came with released code?"
    )
    assert titles(code) == ["Fast large-scale optimization by unifying stochastic gradient and quasi-Newton methods"]
    cited = chat("Could you give me the BibTeX entry for that one, so that I can add it to my reference manager?")
    assert cited.intent == "cite"
    chat("Papers by Surya Ganguli", key="b")
    oldest = chat("The oldest one is the most relevant to my project; could you show me its abstract?", key="b")
    assert oldest.intent == "paper" and titles(oldest)[0].startswith("Fast large-scale optimization")
    chat("papers with Ben Mildenhall", key="c")
    chat("ONLY WITH NERF!!!", key="c")
    dropped = chat("ugh forget nerf. WITH CODE", key="c")
    assert "nerf" not in dropped.reply.query.topic
    chat("new question: papers from 2013", key="d")
    maithra = chat("ok forget 2013. Maithra's expressivity stuff?", key="d")
    assert len(titles(maithra)) == 3


def test_sort_by_oldest_without_a_year_and_quoted_replies(chat):
    """ "sort by oldest" reorders (it kept only the oldest paper); "without 2016" after 2014-2017 leaves 2016 out (it
    kept only 2016); a Discord reply quoting a numbered line ("> 1. VeLO: ...\\nthis one, more info?") asks about that
    record, and one quoting a title ("> DreamFusion: ...\\nthis one's bibtex") cites it."""
    chat("papers from 2020 with code")
    oldest = chat("sort by oldest")
    assert len(titles(oldest)) == 3 and oldest.reply.query.sort == "oldest"
    chat("papers between 2014 and 2017", key="b")
    without = chat("without 2016", key="b")
    assert len(titles(without)) == 4 and all("2016" not in str(p.date) for p in without.reply.records)
    chat("papers by Luke Metz", key="c")
    quoted = chat("> 1. VeLO: Training Versatile Learned Optimizers by Scaling Up\nthis one, more info?", key="c")
    assert quoted.intent == "paper" and quoted.follows and titles(quoted)[0].startswith("VeLO")
    cited = chat("> DreamFusion: Text-to-3D using 2D Diffusion\nthis one's bibtex", key="d")
    assert cited.intent == "cite" and titles(cited)[0].startswith("DreamFusion")


def test_plain_words_after_one_paper_and_a_year_also(chat):
    """After one paper: "who make this" (its authors), "what year and category" (its card), "he have code for it?",
    "is there a pdf link for it?" (none, said so); "and 2019 also" adds the year; "cool. who are the 5 people he's
    published with most?" after a profile question is answered (it asked for a question first)."""
    chat("fast bilateral solver")
    assert "Jonathan T. Barron" in chat("who make this").text
    card = chat("what year and category")
    assert card.intent == "paper" and "2015" in card.text
    assert chat("he have code for it?").intent == "paper"
    pdf = chat("is there a pdf link for it?")
    assert pdf.intent == "paper" and "no link or PDF" in pdf.text
    chat("papers of 2020 please", key="b")
    chat("only with code", key="b")
    assert len(titles(chat("and 2019 also", key="b"))) == 3
    chat("what's his h-index?", key="c")
    people = chat("cool. who are the 5 people he's published with most?", key="c")
    assert people.intent == "coauthors" and "Luke Metz" in people.text


def test_pages_said_plainly_and_no_category_either(chat):
    """ "the before page" is the previous page; "page 3 please, still oldest first" is page 3 (it searched "page");
    "and no CV either" leaves CV out too (it asked for CV)."""
    chat("LG papers")
    chat("more")
    before = chat("the before page")
    assert before.follows and len(titles(before)) == 10
    chat("all his papers, oldest first", key="b")
    third = chat("page 3 please, still oldest first", key="b")
    assert third.follows and len(titles(third)) == 10
    chat("papers from 2020", key="c")
    chat("ok but without the LG ones", key="c")
    chat("now drop the year", key="c")
    neither = chat("and no CV either", key="c")
    assert len(titles(neither)) == 7 and set(neither.reply.query.exclude_categories) == {"LG", "CV"}


def test_a_yes_or_no_that_finds_nothing_still_counts_as_use(chat):
    """The context kept after "any with code?" found nothing is used, so it lives another 15 minutes from then."""
    chat("what did he publish in 2024?")
    chat.clock.now += 14 * 60
    chat("any with code?")
    chat.clock.now += 14 * 60
    first = chat("is Philipp Henzler on the first?")
    assert first.intent == "paper" and titles(first)[0].startswith("SimVS")


def test_bare_numbers_after_a_list_name_its_records(chat):
    """ "cite 1 and 3" cites the first and third records listed, "abstract of 2" shows the second; as a first message
    it gets the nothing-to-follow hint; "show me 3" stays a size (three papers)."""
    chat("papers with Ben Mildenhall, newest first")
    cited = chat("cite 1 and 3")
    assert (
        cited.intent == "cite"
        and len(titles(cited)) == 2
        and titles(cited)[1] == "Zero-Shot Text-Guided Object Generation with Dream Fields"
    )
    assert chat("abstract of 2").intent == "paper"
    assert chat("cite 1 and 3", key="b").intent == "hint"
    chat("papers from 2020", key="c")
    assert len(titles(chat("show me 3", key="c"))) == 3
