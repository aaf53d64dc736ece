"""Answers per intent on the seed corpus: which records, and what the text says."""

from __future__ import annotations

import datetime as dt
import json

from bot.answer.render import MESSAGE_LIMIT


def titles(answer) -> list[str]:
    return [r.title for r in answer.reply.records]


def test_topic_with_date_filter(ask):
    a = ask("papers on diffusion after 2022")
    assert a.intent == "search"
    assert a.reply.records and all(r.date >= dt.date(2023, 1, 1) for r in a.reply.records)
    assert all("diffusion" in (r.title + r.abstract).lower() for r in a.reply.records)
    assert "CAT3D: Create Anything in 3D with Multi-View Diffusion Models" in titles(a)
    assert "understood as: topic: diffusion · from 2023-01-01" in a.text


def test_common_word_still_counts(ask):
    """'diffusion' is in most recent records; BM25Plus keeps its idf positive so it still ranks."""
    a = ask("diffusion")
    assert len(a.reply.records) >= 10
    scores = a.reply.context["scores"]
    assert all(s > 0 for s in scores) and scores == sorted(scores, reverse=True)


def test_score_based_models_top(ask):
    assert titles(ask("score-based models"))[0] == "Score-Based Generative Modeling through Stochastic Differential Equations"


def test_disentanglement_before_2021(ask):
    got = titles(ask("disentanglement papers before 2021"))
    assert "Weakly Supervised Disentanglement with Guarantees" in got
    assert "Disentangled 3D Scene Generation with Layout Learning" not in got


def test_category_and_year(ask):
    a = ask("LG papers in 2019")
    assert len(a.reply.records) == 6
    assert {r.category for r in a.reply.records} == {"LG"} and {r.year for r in a.reply.records} == {2019}


def test_count_in_year(ask):
    a = ask("how many papers in 2023?")
    assert a.intent == "count" and len(a.reply.records) == 6
    assert "**6** of 46" in a.text


def test_count_with_code(ask):
    a = ask("how many papers have code?")
    assert len(a.reply.records) == 6 and all(r.has_code for r in a.reply.records)


def test_author_filter(ask):
    a = ask("papers with Abhishek Kumar")
    assert len(a.reply.records) == 3
    assert all("Abhishek Kumar" in r.authors for r in a.reply.records)


def test_coauthors_excludes_owner_and_shows_ties(ask):
    a = ask("who coauthored most?")
    rows = a.reply.context["rows"]
    assert "Ben Poole" not in [r["name"] for r in rows]
    assert [r["name"] for r in rows[:3]] == ["Luke Metz", "Alexander A. Alemi", "Jascha Sohl-Dickstein"]
    assert all(r["count"] == 4 and r["rank"] == 1 and r["tied"] for r in rows[:3])
    assert "1. Luke Metz: 4 papers (tied)" in a.text
    assert "lower bounds" in a.text
    named = {n for p in a.reply.records for n in p.authors} - {"Ben Poole"}
    everyone = {n for p in ask("papers").reply.records for n in p.authors} - {"Ben Poole"}
    assert named <= everyone and f"({len(everyone)} coauthors in all)" in a.text


def test_paper_lookup(ask):
    a = ask("what is CAT3D?")
    assert a.intent == "paper"
    assert titles(a) == ["CAT3D: Create Anything in 3D with Multi-View Diffusion Models"]
    assert "Ruiqi Gao" in a.text and "We present CAT3D" in a.text


def test_lookup_of_a_topic_falls_back_to_search(ask):
    a = ask("what is diffusion?")
    assert a.intent == "search" and len(a.reply.records) > 5
    assert "no paper is titled “diffusion”" in a.text and a.reply.query.topic == "diffusion"  # decided while parsing


def test_newest_and_earliest(ask):
    newest = ask("newest papers").reply.records
    assert newest[0].date == dt.date(2025, 7, 1)
    assert [r.date for r in newest] == sorted((r.date for r in newest), reverse=True)
    earliest = ask("earliest paper").reply.records
    assert len(earliest) == 1 and earliest[0].year == 2013


def test_profile_facts(ask):
    a = ask("what's the citation count")
    assert a.intent == "profile" and "36,354" in a.text and "111" in a.text


def test_has_code_search(ask):
    a = ask("papers with released code")
    assert len(a.reply.records) == 6


def test_nothing_found_is_honest(ask):
    a = ask("papers on protein folding")
    assert a.reply.records == []
    assert "Nothing found" in a.text and "protein" in a.text


def test_unknown_author_is_named(ask):
    a = ask("papers by John Smith")
    assert a.reply.records == [] and "no author named John Smith" in a.text


def test_spelling_correction(ask):
    a = ask("difusion")
    assert a.reply.records and "showing results for **diffusion**" in a.text


def test_similar_excludes_itself(ask):
    a = ask("papers like DreamFusion")
    assert a.intent == "similar"
    got = titles(a)
    assert "DreamFusion: Text-to-3D using 2D Diffusion" not in got
    assert any("3D" in t for t in got[:3])


def test_cite_gives_bibtex(ask):
    a = ask("cite DreamFusion")
    assert "```bibtex" in a.text and "@misc{poole2022dreamfusion" in a.text and "Ben Poole and Ajay Jain" in a.text


def test_breakdown_per_year_and_leader(ask):
    a = ask("which year had the most papers?")
    assert a.intent == "breakdown"
    assert "most in **2020** (10)" in a.text
    assert {r["label"]: r["count"] for r in a.reply.context["rows"]}["2016"] == 7


def test_breakdown_per_category(ask):
    rows = ask("papers per category").reply.context["rows"]
    assert {r["key"]: r["count"] for r in rows} == {"LG": 23, "CV": 16, "ML": 6, "NE": 1}


def test_author_intent(ask):
    a = ask("tell me about Luke Metz")
    assert a.intent == "author" and len(a.reply.records) == 4
    assert "**Luke Metz**: 4 papers" in a.text


def test_exclusions(ask):
    a = ask("diffusion except CV")
    assert a.reply.records and all(r.category != "CV" for r in a.reply.records)
    b = ask("papers not by Ben Mildenhall with code")
    assert all("Ben Mildenhall" not in r.authors and r.has_code for r in b.reply.records)


def test_every_page_fits_discord(ask):
    a = ask("papers")
    assert len(a.reply.records) == 46
    assert len(a.pages) >= 4 and all(len(p) <= MESSAGE_LIMIT for p in a.pages)


def test_help(ask):
    a = ask("help")
    assert a.intent == "help" and "46 papers" in a.text


def test_mentions_and_markdown_in_questions_are_defused(ask):
    a = ask("@everyone papers by **John** <@&123> Smith")
    assert "@everyone" not in a.text and "<@&123>" not in a.text
    assert "**John**" not in a.text


def test_overlong_question_gets_a_clear_message(ask):
    a = ask("x" * 10_000)
    assert "too long" in a.text and a.reply.records == []


def test_autocomplete_titles_and_authors(seed):
    assert "Variational Diffusion Models" in seed.complete_titles("varia")  # a word still being typed
    assert seed.complete_titles("video interpolation")[0] == "Video Interpolation with Diffusion Models"
    assert len(seed.complete_titles("")) == 25  # nothing typed: the newest
    assert seed.complete_authors("metz") == ["Luke Metz"]
    assert seed.complete_authors("aaron") == seed.complete_authors("van den") == ["Aäron van den Oord"]


# --- issue 13: understanding that holds up to real users ------------------------------------


def test_unknown_words_are_set_aside_and_named(ask):
    a = ask("2016 papers, the flibbertigibbet ones")
    assert len(a.reply.records) == 7
    assert "set aside (not understood): flibbertigibbet" in a.text


def test_a_topic_word_no_record_holds_finds_nothing_rather_than_a_broader_search(ask):
    a = ask("papers on reinforcement learning")
    assert a.reply.records == [] and "no record mentions reinforcement" in a.text


def test_multiword_topic_needs_every_word(ask):
    assert titles(ask("papers about contrastive learning")) == ["What Makes for Good Views for Contrastive Learning?"]
    partial = ask("papers on contrastive diffusion")
    assert partial.reply.records and "No paper holds all of" in partial.text and "partial" in partial.text


def test_or_and_negated_lists(ask):
    assert len(ask("papers by Luke Metz or Jascha Sohl-Dickstein").reply.records) == 8
    rest = ask("papers not in CV or LG").reply.records
    assert len(rest) == 7 and {r.category for r in rest} == {"ML", "NE"}


def test_top_n_people_limits_people_not_papers(ask):
    a = ask("top 3 coauthors")
    assert len(a.reply.context["rows"]) == 3 and a.reply.context["considered"] == 46


def test_fewest_year_and_years_without_papers(ask):
    a = ask("which year had the fewest papers")
    assert "fewest in **2013, 2014, 2015, 2025** (1 each, tied); none at all in 2018" in a.text


def test_names_however_typed(ask):
    for question in ("alexander alemi", "Alex Alemi", "luke mets", "Jon Barron"):
        assert ask(question).intent == "author", question
    assert len(ask("papers by Sohl-Dickstein").reply.records) == 4
    wu = ask("papers by Wu")  # either Wu, said so
    assert len(wu.reply.records) == 3 and "Wu may be several people: showing papers by Jane Wu or Rundi Wu" in wu.text
    assert "by Jane Wu or Rundi Wu" in wu.reply.understood


def test_single_lookups(ask):
    assert titles(ask("paper pef66d85688")) == ["Learning a Diffusion Prior for NeRFs"]
    assert titles(ask("what is VIDIM")) == ["Video Interpolation with Diffusion Models"]
    assert titles(ask("when did Unrolled GANs come out?")) == ["Unrolled Generative Adversarial Networks"]
    assert ask("give me the bibtex entry for the gumbel softmax paper").intent == "cite"


def test_discord_markup_is_no_search_word_and_links_are_not_echoed(ask):
    a = ask("<@123> papers on <#456> diffusion <:pepe:123> @everyone <t:1700000000:R>")
    assert a.reply.query.topic == "diffusion" and a.reply.records
    b = ask("what is [click me](https://evil.example)")
    assert "https://evil" not in b.text and "](" not in b.text


def test_acronyms_both_ways(ask):
    nerf = set(titles(ask("NeRF papers")))
    spelled = set(titles(ask("neural radiance fields")))
    assert "DreamBooth3D: Subject-Driven Text-to-3D Generation" in nerf & spelled  # says "neural radiance fields" only
    assert "nerf = neural radiance fields" in ask("NeRF papers").text


def test_data_the_corpus_lacks_is_said_so(ask):
    a = ask("citations for DreamFusion")
    assert a.intent == "unsupported" and "per-paper citation" in a.text and "36,354" in a.text
    assert "no record lists google" in ask("google papers").text
    famous = ask("which is his most famous paper?")  # a caveat question whose one clause is itself: read once, no recursion
    assert famous.intent == "unsupported" and "no ratings" in famous.text
    for personal in ("where does alemi work now", "is ben a cat person", "whats bens fav coffee"):
        assert ask(personal).reply.records == [] and "not personal details" in ask(personal).text


def test_other_languages_get_only_english(ask):
    a = ask("trabajos sobre difusión después de 2022")
    assert a.reply.records == [] and "only English is understood" in a.text


def test_questions_up_to_2000_characters(ask):
    a = ask("I would like papers about learned optimizers and scaling them up " * 25)
    assert len(a.reply.query.text) < 2000 and a.reply.records
    assert "too long" in ask("x" * 2001).text


def test_reply_grammar_and_no_visible_escapes(ask):
    assert "**1** of 46 paper matches" in ask("how many papers in 2025").text
    assert "\\(" not in ask("papers per category").text


def test_json_interpretation_names_roles_and_notes(ask):
    data = json.loads(json.dumps(ask("papers on difusion by jon barron or mildenhal since 2021 lol").as_json()))
    meaning = data["interpretation"]
    assert meaning["authors"] == ["jonathan t barron", "ben mildenhall"] and meaning["author_mode"] == "any"
    assert meaning["corrections"]["mildenhal"] == "Ben Mildenhall" and meaning["date_from"] == "2021-01-01"
    assert "showing results for diffusion (you wrote difusion)" in meaning["notes"]
    assert json.loads(json.dumps(ask("papers from 2016, the flibbertigibbet ones").as_json()))["interpretation"]["set_aside"] == [
        "flibbertigibbet"
    ]


def test_separate_years_and_excluded_years(ask):
    assert {r.year for r in ask("papers in 2016, 2019 and 2023").reply.records} == {2016, 2019, 2023}
    assert all(r.year != 2020 for r in ask("papers excluding 2020").reply.records)


def test_a_question_that_asks_for_nothing_is_not_answered_with_the_whole_corpus(ask):
    for question in ("q", "hmm", "lol"):
        a = ask(question)
        assert a.intent == "unsupported" and list(a.reply.records) == []
        assert f"did not understand “{question}”" in a.text
    assert len(ask("all papers").reply.records) == 46  # asking for the list still lists it


def test_an_arxiv_link_or_id_names_its_record(mini) -> None:
    """A pasted arXiv link reads as the paper it names; one no record has is said so, never a search."""
    for question in ("what's https://arxiv.org/abs/2301.01234v2", "arXiv:2301.01234", "bibtex for arxiv 2301.01234"):
        answer = mini.ask(question)
        assert [r.title for r in answer.reply.records] == ["Neural Radiance Fields from Few Views"], question
    assert mini.ask("bibtex for arxiv 2301.01234").intent == "cite"
    missing = mini.ask("https://arxiv.org/pdf/2209.14988v1.pdf")
    assert missing.intent == "unsupported" and "no record has the arXiv id 2209.14988" in missing.text


def test_a_claim_about_one_paper_gets_yes_or_no_with_the_paper(ask):
    yes = ask("double-checking: CAT3D came out in 2024, yes?")
    assert titles(yes) == ["CAT3D: Create Anything in 3D with Multi-View Diffusion Models"]
    assert "yes: dates: 2024-01-01 to 2024-12-31" in yes.text
    no = ask("Dream Fields has code, right?")
    assert titles(no) == ["Zero-Shot Text-Guided Object Generation with Dream Fields"] and "no: with code" in no.text
    hidden = ask("is it true that dreamfusion is by Ben Mildenhall?")
    assert "not among the authors printed" in hidden.text and "no:" not in hidden.text


def test_what_the_corpus_lacks_said_over_many_records_is_paged_like_a_list(ask):
    """ "average citations per CV paper vs LG paper?": the caveat, then the 39 papers ten to a page (each page used to
    hold all of them, so every page was too long and was re-rendered record by record)."""
    answer = ask("average citations per CV paper vs LG paper?")
    assert answer.intent == "unsupported" and len(answer.reply.records) == 39
    first = answer.pages[0]
    assert "per-paper citation counts" in first and "**10. " in first and "**11. " not in first
    assert answer.page_count == 4 and "**39. " in answer.pages[-1]


def test_a_missing_noun_before_a_topic_word_is_no_broader_search(ask):
    """ "music generation": no record mentions music, so no paper answers it (the generation papers are no answer);
    a judgement before the topic ("gorgeous video papers") still only stands aside."""
    music = ask("music generation papers")
    assert music.reply.records == [] and "music" in music.text
    judged = ask("gorgeous video papers")
    assert "Imagen Video: High Definition Video Generation with Diffusion Models" in titles(judged)
    assert "gorgeous" in judged.text


def test_or_between_phrases_keeps_each_phrase_whole(ask):
    """ "video generation or video diffusion": records holding either phrase, not any of its three words; a phrase no
    record holds drops out, and when each does, nothing is found."""
    video = ask("stuff about video generation or video diffusion?")
    assert {
        "Imagen Video: High Definition Video Generation with Diffusion Models",
        "Video Interpolation with Diffusion Models",
    } <= set(titles(video))
    assert "Categorical Reparameterization with Gumbel-Softmax" not in titles(video)
    assert "video generation or video diffusion" in video.text
    assert ask("papers on reinforcement learning or robot control").reply.records == []
    narrowed = ask("diffusion papers on video or 3d")
    assert "diffusion and (video or 3d)" in narrowed.text
    assert all("diffusion" in (r.title + r.abstract).lower() for r in narrowed.reply.records)


def test_thanks_and_hellos_in_other_languages_are_courtesy(ask):
    """ "oi tudo bem? ... por favor": an English request among Portuguese courtesies is answered, nothing set aside."""
    answer = ask("oi tudo bem? I want papers of Luke Metz por favor")
    assert len(titles(answer)) == 4 and "set aside" not in answer.text
    thanks = ask("Olá! papers 2023 please, obrigado")
    assert len(titles(thanks)) == 6 and "set aside" not in thanks.text
    assert "concern" not in ask("Please list the papers that concern video.").reply.query.topic


def test_people_rankings_in_everyday_phrasings(ask):
    """ "who is most working with him", "top 3 people in his CV papers", "top 3 collaborators and how much papers": the
    coauthor table; "besides Luke Metz, who ...": the table without him, his shared papers still counted for others."""
    for question in ("who is most working with him", "who has the most papers w ben besides himself"):
        answer = ask(question)
        assert answer.intent == "coauthors" and "Jascha Sohl-Dickstein: 4 papers" in answer.text, question
    cv = ask("top 3 people in his CV papers")
    assert cv.intent == "coauthors" and "Jonathan T. Barron: 3 papers" in cv.text
    counted = ask("top 3 collaborators and how much papers")
    assert counted.intent == "coauthors" and "Luke Metz: 4 papers" in counted.text
    besides = ask("besides Luke Metz, who does he write with a lot?")
    assert besides.intent == "coauthors" and "Luke Metz:" not in besides.text
    assert "C. Daniel Freeman: 2 papers" in besides.text and "leaving out Luke Metz" in besides.text


def test_a_title_set_apart_or_named_then_asked_about_is_that_paper(ask):
    """A title in `code` or **bold** beside other words is typed as a title ("pls show `Fixing a Broken ELBO`"); a
    paper named, then asked about in broken English ("the bilateral solver paper, it have code?"), is that paper."""
    for question, title in (
        ("<@1234567890123> pls show `Fixing a Broken ELBO`", "Fixing a Broken ELBO"),
        ("**Variational Diffusion Models** — did it have code?", "Variational Diffusion Models"),
        ("the bilateral solver paper, it have code?", "The Fast Bilateral Solver"),
        ("the thousand tasks paper - did they release code?", "Using a thousand optimization tasks"),
        ("the paper Exponential expressivity transient chaos, what category?", "Exponential expressivity"),
    ):
        answer = ask(question)
        assert answer.intent == "paper" and titles(answer)[0].startswith(title), question
    assert ask("optimization papers that have code").intent == "search"
    assert ask("`bibtex dreamfusion`").intent == "cite"


def test_people_asked_about_however_phrased(ask):
    """ "Could you tell me about Dr. Ruiqi Gao?", "what do you know about X": the author card; a surname typo before
    "pls" is still linked; a tag question mid-message or "run the above" under a quote is no topic word."""
    for question in ("Could you tell me about Dr. Ruiqi Gao?", "what do you know about Ruiqi Gao"):
        answer = ask(question)
        assert answer.intent == "author" and "Ruiqi Gao" in answer.text, question
    assert len(titles(ask("<@123456789> papers of Alemy pls"))) == 4
    assert titles(ask("Eric Jang coauthored something with him right? which one")) == [
        "Categorical Reparameterization with Gumbel-Softmax"
    ]
    assert len(titles(ask("> papers with Luke Metz\nCould you run the above for me, please? :pray:"))) == 4


def test_negations_asides_and_personal_questions(ask):
    """ "papers that arent cv": every other category; "Barron but not Jain": neither Jain; "+1 on this" and "asking for
    a friend" are asides; "is ben nice to work with?" is personal, said so, never every paper."""
    assert len(titles(ask("papers that arent cv"))) == 30
    assert titles(ask("papers with Barron but not Jain")) == ["The Fast Bilateral Solver"]
    quoted = ask("<@1234567890123>\n> what are the text-to-3D papers\n+1 on this lol")
    assert "DreamFusion: Text-to-3D using 2D Diffusion" in titles(quoted) and "set aside" not in quoted.text
    assert "set aside" not in ask("<@1234567890123> papers from Dec 2023 ||asking for a friend||").text
    personal = ask("is ben nice to work with? asking for a friend")
    assert personal.reply.records == [] and "personal details" in personal.text
    assert ask("how many citation he have in total").intent == "profile"
    assert len(titles(ask("list form please, all his papers with code"))) == 6


def test_operators_typed_as_symbols_and_formal_ranges(ask):
    """ ">= 2024", "< 2016", "2020 & !LG", "Yang Song | Ruiqi Gao", "excl. CV", "between the years 2016 and 2019
    inclusive", "since 2020, 2020 included", "neither GAN nor VAE papers": what the symbols and phrasings mean."""
    assert len(titles(ask("papers >= 2024"))) == 6
    assert len(titles(ask("papers < 2016"))) == 3
    assert len(titles(ask("2020 & !LG"))) == 2
    assert len(titles(ask("Yang Song | Ruiqi Gao"))) == 4
    assert titles(ask("Ruiqi Gao papers, excl. CV")) == ["Learning Energy-Based Models by Diffusion Recovery Likelihood"]
    assert len(titles(ask("How many papers between the years 2016 and 2019 inclusive?"))) == 15
    assert len(titles(ask("Papers with code released since 2020, 2020 included"))) == 5
    neither = titles(ask("neither GAN nor VAE papers since 2019"))
    assert neither and "Non-saturating GAN training as divergence minimization" not in neither
    assert (
        "Kindly" not in ask("Kindly give the abstract of the DreamFusion paper.").text
        and ask("Kindly give the abstract of the DreamFusion paper.").intent == "paper"
    )
    assert len(titles(ask("philip hensler papers"))) == 3


def test_papers_named_as_citations_name_them(ask):
    """ "Metz et al. 2022", "Jain et al. 2021" (two Jains: the year tells), "Poole & Jain 2022 (DreamFusion)", and a
    reference pasted from a bibliography with its title written a little differently: that one paper."""
    for question, title in (
        ("give me a bibtex entry for Metz et al. 2022", "VeLO: Training Versatile Learned Optimizers by Scaling Up"),
        ("cite Jain et al. 2021", "Zero-Shot Text-Guided Object Generation with Dream Fields"),
        ("bibtex for Poole & Jain 2022 (DreamFusion)", "DreamFusion: Text-to-3D using 2D Diffusion"),
    ):
        answer = ask(question)
        assert answer.intent == "cite" and titles(answer) == [title], question
    for question, title in (
        (
            "Alemi, A., Poole, B., Fischer, I., Dillon, J., Saurous, R. A., & Murphy, K. (2018). Fixing a broken ELBO. "
            "In ICML (pp. 159-168). PMLR.  <- is this one on the page?",
            "Fixing a Broken ELBO",
        ),
        (
            "Song Y, Sohl-Dickstein J, Kingma DP, Kumar A, Ermon S, Poole B. Score-based generative modelling through "
            "SDEs. ICLR 2021. which one?",
            "Score-Based Generative Modeling through Stochastic Differential Equations",
        ),
    ):
        answer = ask(question)
        assert answer.intent == "paper" and titles(answer) == [title]


def test_dictated_titles_and_acronyms(ask):
    """Voice typing: "cat three d", "in paint three d", "sim v s", "A R D M" name their papers; "vee ay ee papers"
    are the VAE papers; "see you later" stays words; "whats similar to dream fusion" asks for similar papers."""
    for question, title in (
        ("cat three d", "CAT3D"),
        ("in paint three d", "Inpaint3D"),
        ("sim v s", "SimVS"),
        ("A R D M", "Autoregressive Diffusion Models"),
        ("who wrote dream booth three d", "DreamBooth3D"),
    ):
        answer = ask(question)
        assert answer.intent == "paper" and titles(answer)[0].startswith(title), question
    assert "Preventing Posterior Collapse with delta-VAEs" in titles(ask("vee ay ee papers"))
    similar = ask("whats similar to dream fusion")
    assert similar.intent == "similar" and "DreamFusion: Text-to-3D using 2D Diffusion" not in titles(similar)


def test_formal_and_old_fashioned_phrasings(ask):
    """A retired professor's English: "lastyear", "according to this page", "tell me of D. P. Kingma", "the ten
    persons with whom he has written most", "Tabulate his papers per annum", an editor the page cannot name, and
    "Generative Adversarial Netwroks" (a typo inside a capitalised term is no name)."""
    assert titles(ask("Did Dr Poole publish anything lastyear?")) == ["Masks make discriminative models great again!"]
    earliest = ask("What was the earliest paper he wrote, according to this page?")
    assert titles(earliest)[0].startswith("Fast large-scale optimization")
    assert ask("What can you tell me of D. P. Kingma?").intent == "author"
    ten = ask("The ten persons with whom he has written most, please.")
    assert ten.intent == "coauthors" and "Luke Metz: 4 papers" in ten.text and "top 10 people" in ten.text
    table = ask("Tabulate his papers per annum, kindly.")
    assert table.intent == "breakdown" and "2013" in table.text and "2025" in table.text
    editor = ask("Who was the editor handling 'On Variational Bounds of Mutual Information'?")
    assert editor.intent == "unsupported" and "does not hold" in editor.text
    gans = titles(ask("Which papers concern Generative Adversarial Netwroks?"))
    assert "Unrolled Generative Adversarial Networks" in gans


def test_slang_that_frames_a_question_is_no_topic(ask):
    """ "deadass how many cv papers", "bet, now show the ones w code 🔥", "sheesh the velo one has code right?": the
    question is answered whole; a message of nothing but slang is still not understood, and said so."""
    assert len(titles(ask("deadass how many cv papers"))) == 16
    assert len(titles(ask("bet, now show the ones w code 🔥"))) == 6
    velo = ask("sheesh the velo one has code right?")
    assert velo.intent == "paper" and titles(velo)[0].startswith("VeLO") and "set aside" not in velo.text
    lost = ask("no shot bro deadass ong")
    assert lost.reply.records == [] and "did not understand" in lost.text


def test_a_question_then_a_remark_about_the_asker(ask):
    """ "Which ... in December (any year)? I'm making a timeline.": the question is answered, the remark is the
    asker's story (no table because it says "timeline", no word of it named as not understood)."""
    december = ask("Which of his papers were published in December (any year)? I'm making a timeline.")
    assert december.intent == "search" and len(titles(december)) == 6 and "set aside" not in december.text
    productive = ask("Which papers did he publish in 2016? I heard that was a very productive year for him.")
    assert len(titles(productive)) == 7
    joined = ask("Hi, I just joined the group this month. How many papers does Ben Poole have listed on his profile in total?")
    assert len(titles(joined)) == 46 and "set aside" not in joined.text
    asked = ask("is the mutual information bounds paper any good? should I read it before my qual")
    assert "set aside" in asked.text or "cannot tell which paper is best" in asked.text


def test_office_english(ask):
    """An engineer's words for papers and requests: "portfolio", "deliverables", "circle back", "the split of his
    output between CV and LG", "format ... as a simple list", "did VeLO ship with code?", a per-paper citation count
    or an h-index trend (which the corpus lacks, said so)."""
    assert len(titles(ask("How many LG papers are in his portfolio?"))) == 23
    assert len(titles(ask("Let's circle back on his 2022 deliverables, KPI-wise, going forward."))) == 3
    split = ask("What's the split of his output between CV and LG?")
    assert split.intent == "breakdown" and "set aside" not in split.text
    listed = ask("Could you format the 2024 papers as a simple list, please?")
    assert len(titles(listed)) == 5 and "set aside" not in listed.text
    assert ask("Did VeLO ship with code?").intent == "paper"
    assert "per-paper citation counts" in ask("Citation count per paper for the 2024 deliverables?").text
    assert ask("How has his h-index trended over the last five years?").intent == "unsupported"
    assert len(titles(ask("Umm, so, basically, like, what papers did he put out in 2021, if that makes sense?"))) == 3


def test_yes_no_about_a_paper_and_people_the_page_lacks(ask):
    """ "Imagen Video was a 2023 paper?", "is Inpaint3D from 2024?": the paper, with no; "did he coauthor anything with
    Chelsea Finn?": nobody of that name (her surname is no slip of "find"); students he supervises: not on the page."""
    imagen = ask("Imagen Video was a 2023 paper?")
    assert imagen.intent == "paper" and titles(imagen)[0].startswith("Imagen Video") and "_no:" in imagen.text
    inpaint = ask("is Inpaint3D from 2024?")
    assert titles(inpaint)[0].startswith("Inpaint3D") and "_no:" in inpaint.text
    assert "_yes:" in ask("Is DreamFusion from 2022?").text
    finn = ask("did he coauthor anything with Chelsea Finn?")
    assert finn.reply.records == [] and "Chelsea Finn" in finn.text
    assert ask("how many PhD students does he supervise?").intent == "unsupported"
    assert len(titles(ask("diffusion 论文 2023"))) >= 4


def test_search_engine_and_query_language_syntax(ask):
    """A search box's or a database's syntax read as a question: "author:alemi -year:2023", "cat:LG -year:2020",
    "year:2020..2022", "before:2016", "diffusion -video", 'gan -"non-saturating"', "select * from papers where year =
    2025", "order by date desc limit 1"; "speech recognition has:code" names a topic no record holds (none, said so)."""
    assert len(titles(ask("author:alemi -year:2023"))) == 3
    assert len(titles(ask("cat:LG -year:2020"))) == 15
    assert len(titles(ask("year:2020..2022"))) == 16
    assert len(titles(ask("before:2016"))) == 3
    assert not any("Video" in t for t in titles(ask("diffusion -video")))
    gans = titles(ask('gan -"non-saturating"'))
    assert gans and not any(t.startswith("Non-saturating") for t in gans)
    assert titles(ask("select * from papers where year = 2025")) == ["Masks make discriminative models great again!"]
    assert titles(ask("order by date desc limit 1")) == ["Masks make discriminative models great again!"]
    speech = ask("speech recognition has:code")
    assert speech.reply.records == [] and "speech" in speech.text
    assert ask("h-index only, just the number").intent == "profile"


def test_the_question_after_bot_in_a_group_chat(ask):
    """ "no 💀 anyway bot show me the CAT3D paper", "BOT. WHO WROTE FIXING A BROKEN ELBO": the words after the
    address are the question, the banter before it is not; "... the `half bayes` paper? bot pls" keeps its question."""
    cat3d = ask("> @jay r u done with the ps3 yet\nno 💀 anyway bot show me the CAT3D paper")
    assert cat3d.intent == "paper" and titles(cat3d)[0].startswith("CAT3D")
    elbo = ask("BOT. WHO WROTE FIXING A BROKEN ELBO 😤")
    assert elbo.intent == "paper" and titles(elbo) == ["Fixing a Broken ELBO"]
    listed = ask("<@209384756102938475> u take the 2019 ones, i'll take 2020. bot list the 2019 papers")
    assert len(titles(listed)) == 6
    assert titles(ask("@everyone does anyone know the `half bayes` paper? bot pls"))[0] == "VIB is Half Bayes"


def test_bot_addressed_first_or_after_an_emoji(ask):
    """ "bot jascha papers" (the address is no part of a name), "ty bot ❤️ ok now who is Surya Ganguli ...",
    "per category — **just the numbers**", "the list of 2017 papers real quick"."""
    assert len(titles(ask("bot jascha papers"))) == 4
    assert ask("ty bot ❤️ ok now who is Surya Ganguli and how many papers w ben").intent == "author"
    table = ask("bot how many papers per category — **just the numbers** 🙏")
    assert table.intent == "breakdown" and "set aside" not in table.text
    assert len(titles(ask("yeet me the list of 2017 papers real quick"))) == 2


def test_two_open_ends_joined_by_and_or_or(ask):
    """ "after 2016 and before 2020" is 2017-2019 (it read "2016 and before" as "until 2016" and found nothing);
    "before 2016 or after 2024" and "before 2018 versus after 2022" are either end, never the empty middle."""
    assert len(titles(ask("papers after 2016 and before 2020"))) == 8
    ends = ask("papers before 2016 or after 2024")
    assert len(titles(ends)) == 4 and "until 2015-12-31 or from 2025-01-01" in ends.text
    assert len(titles(ask("What did he work on before 2018 versus after 2022?"))) == 24
    assert "until 2016-12-31" in ask("2016 and earlier").text


def test_who_the_owner_is_and_output_forms(ask):
    """ "Who is Ben Poole?": the profile (his h-index, citations and papers), not his card among coauthors; "one per
    line" and "format ... as a bulleted list" are the form of a list, not topic words."""
    owner = ask("Who is Ben Poole?")
    assert owner.intent == "profile" and "111" in owner.text and "46" in owner.text
    assert ask("who is ben mildenhall").intent == "author"
    lines = ask("list the titles of his 2024 papers, one per line")
    assert len(titles(lines)) == 5 and "set aside" not in lines.text
    bullets = ask("format the papers with released code as a bulleted list")
    assert len(titles(bullets)) == 6 and "set aside" not in bullets.text
    opened = ask("Open the broken ELBO paper.")
    assert opened.intent == "paper" and titles(opened) == ["Fixing a Broken ELBO"]


def test_a_correction_inside_the_question_replaces_what_it_restates(ask):
    """ "tell me about Jasha, sorry, Jascha Sohl-Dickstein" is his card; "papers by Luke Metz, sorry, by Jascha" his
    papers; a purpose said first ("For planning our sessions: ...", "... for next term") is no topic."""
    card = ask("tell me about Jasha, sorry, Jascha Sohl-Dickstein")
    assert card.intent == "author" and "Jascha Sohl-Dickstein" in card.text
    jascha = ask("papers by Luke Metz, sorry, by Jascha")
    assert len(titles(jascha)) == 4 and "Luke Metz" not in jascha.text.split("\n")[0]
    table = ask("For planning our sessions: give me a table of Ben's papers by year.")
    assert table.intent == "breakdown" and "2013" in table.text and "set aside" not in table.text
    term = ask("We're picking papers on learned optimizers for next term. Show me those.")
    assert {t.split(":")[0] for t in titles(term)} >= {"VeLO", "Tasks, stability, architecture, and compute"}
    assert "set aside" not in term.text


def test_papers_of_the_busiest_year_are_listed(ask):
    """ "papers from his busiest year" lists 2020's ten papers, said why (it gave the table); "which year had the most
    papers" and "show the papers per year" stay tables."""
    busiest = ask("papers from his busiest year")
    assert busiest.intent == "search" and len(titles(busiest)) == 10 and "2020 has the most papers (10)" in busiest.text
    assert ask("list the papers of his most common category").reply.query.categories == ["LG"]
    assert ask("which year had the most papers").intent == "breakdown"
    assert ask("which year had the most papers, and show the papers per year").intent == "breakdown"


def test_corrections_said_every_way(ask):
    """ "from 2016, wait no, 2020", "June 2016, sorry, November 2016", "by Luke — no, by Jascha", "with Ruiqi Gao, sorry,
    Rundi Wu", "top 3 coauthors, sorry, top 5", "cite the Gumbel paper — Gumbel-Softmax, I mean"; a purpose said first
    ("For my thesis intro: ...") and "that aren't from 2019" (it kept 2019)."""
    assert "2020-01-01" in ask("anything on GANs from 2016, wait no, 2020?").text
    assert len(titles(ask("papers from June 2016, sorry, November 2016"))) == 3
    assert len(titles(ask("papers by Luke — no, by Jascha"))) == 4
    assert {t.split(":")[0] for t in titles(ask("papers with Ruiqi Gao, sorry, Rundi Wu"))} == {"ReconFusion", "CAT4D"}
    top = ask("top 3 coauthors, sorry, top 5")
    assert top.intent == "coauthors" and "Luke Metz" in top.text
    assert ask("cite the Gumbel paper — Gumbel-Softmax, I mean").intent == "cite"
    thesis = ask("For my thesis intro: which of Ben's papers are about diffusion models?")
    assert "set aside" not in thesis.text and "Variational Diffusion Models" in titles(thesis)
    vae = ask("VAE papers that aren't from 2019")
    assert "Preventing Posterior Collapse with delta-VAEs" not in titles(vae) and titles(vae)


def test_a_reason_said_first_is_no_topic(ask):
    """ "Because I'm reviewing his more theoretical work, could you list his papers in the ML category?" lists the six
    ML papers (it searched "theoretical"); "To get a sense of his recent productivity, ..." and "For consistency ..."
    likewise; "For the 2020 papers, ..." keeps 2020; "from 2020 on disentanglement" is 2020 only (it read "onwards")."""
    ml = ask("Because I'm reviewing his more theoretical work, could you list his papers in the ML category?")
    assert len(titles(ml)) == 6 and "set aside" not in ml.text
    recent = ask(
        "To get a sense of his recent productivity, could you list everything he has published since 2019, newest first?"
    )
    assert titles(recent)[0] == "Masks make discriminative models great again!" and "set aside" not in recent.text
    assert "2020-12-31" in ask("For the 2020 papers, could you list the ones with code?").text
    assert (
        "2020-12-31" in ask("For a talk about his 2020 output, could you show me the papers from 2020 on disentanglement?").text
    )
    assert (
        "2016"
        in ask("I'm preparing a timeline of his output and would like to start with 2016; which papers appeared that year?").text
    )


def test_whole_titles_gists_and_where_a_citation_goes(ask):
    """ "Fixing a Broken ELBO" typed whole is that paper (its acronym made it a search); "VeLO, gist?" its summary;
    "Hi! I read CAT3D last week. Is it on here?" is CAT3D (last week was read as a date); "how do I cite DreamFusion in
    my thesis?" cites DreamFusion."""
    assert ask("Fixing a Broken ELBO").intent == "paper"
    gist = ask("VeLO, gist?")
    assert gist.intent == "paper" and "set aside" not in gist.text
    read = ask("Hi! I read CAT3D last week. Is it on here?")
    assert read.intent == "paper" and titles(read)[0].startswith("CAT3D")
    assert titles(ask("how do I cite DreamFusion in my thesis?"))[0].startswith("DreamFusion")
    assert ask("cite velo for my related work section").intent == "cite" and titles(ask("cite velo for my related work section"))


def test_count_in_the_busiest_year_and_learned_optimization(ask):
    """ "how many in his busiest year?" is 10 (2020), said why; "learned optimization" also finds "learned optimizers"
    (the typed form of "-ation" words now takes their other endings)."""
    busiest = ask("how many in his busiest year?")
    assert busiest.intent == "count" and "**10**" in busiest.text and "2020" in busiest.text
    optimization = titles(ask("list papers on learned optimization"))
    assert {t.split(":")[0] for t in optimization} >= {"VeLO", "Tasks, stability, architecture, and compute"}
