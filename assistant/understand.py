"""Read the question once: what it asks for, what it is about, and what retrieval should search.

Retrieval, the scope judge and the composer read the frozen `Question` and never parse the text again.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Sequence

from .chat import Turn, last_answered
from .elements import KIND_COUNT, NUMBER_WORDS, elements_of_kind, ids_in, kind_of, title_of
from .retrieve import Snapshot
from .scope import LAYERS, correct_spelling, kin
from .text import ORDINAL, ORDINAL_WORDS, STOPWORDS, content_words, expand_acronyms, expanded_terms, stem, terms, words

# "when" asks for a date as a question word ("when's", "when did", "roundtable when?"), not when it joins a clause
# ("... when CIP talks about voice", "... when the project wraps up", "the risk ... when we redesign our services")
_WHEN_ASKS = (r"\bwhen(?:'s|’s)|\bwhen (?:is|was|are|were|did|does|do|will|would|has|have|had|can|could|should|might|exactly)\b"
              r"|\bwhen\s*(?:\?|$)|\b(?:by|since|until|till) when\b")
# Asking whether there are any of a kind of thing asks for them: "are there any podcasts?", "has CIP made any videos?"
_MAKERS = r"(?:cip|the project|they|the team|rip|research in practice)"  # who a question says made things
ANY_OF = (r"^\W*(?:(?:and|so|ok|okay|also)\W+)*(?:(?:are|r) there any|(?:has|have) " + _MAKERS + " "
          r"(?:done|made|produced|published|put out|got|run) any)\b(?=\s+(?:\w+\s+){0,2}?\w+s\b)")
# Who made a set of things, as a question frames it: "(what podcasts) has the project put out", "(which videos) did RiP make"
PRODUCED_BY = (r"\b(?:has|have|did) " + _MAKERS + " "
               r"(?:do|done|made|make|produced?|published|publish|put out|put|release|released|run)\b")
# Expected answer types, tried in this order: the first rule that matches wins.
# "what's being done / been planned / next ...?" asks what happens, not for a definition
_NOT_DEFINED = r"(?:being|been|going|happening|planned|done|changing|next)"
_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(rx, re.I)) for name, rx in (
    # "different" as an adjective ("across all its different services") compares nothing; "diff" is short for it
    ("comparison", r"\b(differ|difference|diff|compare[sd]?|comparison|versus|vs\.?|distinguish|same (?:(?!time\b)\w+ )?as)\b"
                   # "are the '10 key findings' and the '10 key messages' the same list?"
                   r"|^\W*(?:is|are) [^?]+ and [^?]+ the same\b"
                   r"|\bdifferent\b(?!\s+(?!from\b|to\b|than\b|in\b|at\b|for\b|or\b|then\b|and\b)[a-z]+)"),
    # "when" asks for a date unless it only joins a clause ("the risk ... when we redesign our services")
    ("date", _WHEN_ASKS +
             r"|\b(what year|which year|what date|which month|how long ago|since when)\b"),
    ("number", r"\bhow (many|much|long)\b|\bwhat (percentage|proportion|share|number|amount)\b|\bhow big\b"),
    ("person", r"^\W*(who|whom|whose)\b|\bwho (is|was|are|were|leads?|runs?|funds?|pays?|convenes?|chairs?)\b"
               # "Is anyone on the project actually researching how needs get defined?" asks who is
               r"|^\W*(?:is|are) (?:there )?(?:anyone|anybody|someone|somebody)\b[^?.]*?\b[a-z]{3,}ing\b"
               r"|\bwhich (?:other |outside |external |partner |local |national )?(organisations?|organizations?|university|universities|unis?|body|bodies|charity|charities|funders?)\b"),
    ("site", r"\b(which|what|any of the|any)(?: one)?(?: of (?:the|our))?(?: four| 4)?(?: cip| project)?(?: partner)? (site|sites|council|councils|authority|authorities|area|areas|partner|partners|la|las)\b"
             # ("what examples of administrative data does the project give?" asks for the material's examples of a thing)
             r"|\bexamples?\b(?![^?.]*\b(?:does|do|did) (?:the project|the report|they|it|cip) give\b)"
             r"|(?<!research )(?<!mean )(?<!means )\bin practice\b"),  # not "what does X mean in practice?"
    ("reason", r"^\W*why\b|\bwhat for\b|\bpurpose\b|\bthe point of\b|\bwhy (is|does|do|should|did)\b|\breasons?\b"
               r"|\bwhy it matters\b|\bmatter\b|\bwhy\b[^?.]{0,40}\bmatters?\b|\bwhat(?:'s| is| are) (?:it|that|this|they|all this) for\b"
               # "what's the framework actually for?", "what is the Nuffield grant for, in a line?"
               r"|\bwhat(?:'s|s| is| are)\b[^?.,;]{1,40}\bfor\s*(?:[?.!,;]|$)"
               # "what got Rochdale interested in school readiness?", "what made Hampshire drop predictive analytics?",
               # "what led to the change?" ask why
               r"|\bwhat (?:got|made|led|prompted|motivated|drove) (?:the |them |they |it |\w+'s )?[a-z]+(?: [a-z]+)? (?:to\b|into\b|"
               r"interested\b|want|start|decide|choose|go\b|look|focus|pick|move|drop|change|shift|switch)|\bwhat led to\b"
               # "what's it ultimately trying to get to?" asks what it is for
               r"|\btrying to (?:get to|achieve)\b|\baim(?:ing)? (?:for|at)\b(?! (?:some|one|that|this|any) (?:point|stage|time)\b)|\bend goal\b|\bwhat(?:'s| is| are) (?:it|they) after\b"
               # "what is CIP trying to change?" asks what it is for; "is CIP trying to change national policy?" asks yes or no
               r"|\bwhat\b[^?.]*\b(?:trying|try|tries|want|wants|hoping|hope|hopes|seeking|seeks) to (?:achieve|change|fix|solve|improve|accomplish)\b"),
    ("howto", r"^\W*how (do|can|should|could|would|might|to|does one)\b"
              # "how did LEAP measure outcomes?" asks for the method; "how did it go?" asks how it turned out
              r"|^\W*how did (?!(?:\w+ ){1,3}?(?:go|turn out|end up|feel|land|work out(?! (?:what|how|which|where|who|whether|if|why|when)\b))\b)|\bhow did (?:they|we|you|\w+(?: \w+){0,2}) (?:go about|do|approach|manage|carry out|run|collect|gather)\b|(?<!next )\bsteps\b|\bwhat should (we|i)\b"
              r"|\bways? (to|of)\b|\bhow (we|i) (can|could|should)\b"),
    ("list", r"^\W*(list|name|enumerate|outline)\b|\bwhat are the\b|\bwhat were the (?!(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\W*(?:\?|$|,|do\b))|\bin (?:the )?order\b|\bwhich are the\b|\bwhat (things|points|parts)\b"
             # "remind me what all eight practices are": a number of things asks for each of them
             r"|\bwhat (?:are )?(?:all )?(?:the )?(?:two|three|four|eight|2|3|4|8) \w+s\b(?! (?:is|was|does|did|do)\b)"
             # "are there any CIP podcasts ...?", "has the project done any podcasts?" ask for them
             # "what's in the video series on ...?" asks for its items
             r"|\bwhat(?:'s| is| are) in (?:the|this|that|their|its) (?:[\w-]+ ){0,2}(?:series|list|set|collection|pack|toolkit|playlist)\b"
             # "what podcasts has the project put out?" asks for them too
             r"|^\W*(?:what|which) \w+s " + PRODUCED_BY + r"|" + ANY_OF),
    ("definition", r"\bwhat (is|'s|are) (?!(?:they|we|you|he|she|there|people)\b|" + _NOT_DEFINED + r"\b)(meant by|an?|the)?\b|\bwhat's\b(?! " + _NOT_DEFINED + r"\b)|\bmean(s|ing)?\b|\bdefin(e|ition|ed)\b"
                   r"|\bstand for\b|\bwhat do you mean\b|\bwhat does .+ (involve|cover)\b|\bwhat counts as\b|\bto (?:count|qualify) as\b|\bwhat (?:do|does) (?:they|it|the \w+|cip) (?:class|count|regard|treat) as\b"
                   r"|\bmeant by\b|\bwhats\b(?! " + _NOT_DEFINED + r"\b)"),
    ("yesno", r"^\W*(is|are|does|do|can|should|has|have|was|were|did|will|could)\b"),
    ("overview", r"\b(tell me about|overview|explain|describe|summar(y|ise|ize)|more about|anything (on|about)|(in|into) plain english|in simple terms|in a nutshell|(the )?gist( of)?|in a (couple of|few) (lines|sentences)"
                 # "a rundown of north yorks' part", "an intro to the framework" ("catch me up on CIP" is read as "tell me
                 # about CIP" before it is typed: `_TELL_ME`)
                 r"|run-?down( of| on)?|intro(duction)? to)\b"),
))
_OPENS_WHY = re.compile(r"^\W*(?:(?:and|so|but|ok|okay)\W+)*why\b", re.I)
# What came of it: "did it make any difference?", "did the work actually make care leavers feel safer?", "what came
# of it in the end?"
_DIFFERENCE_MADE = r"\b(?:make|makes|made) (?:any|a|much|a real) difference\b"
_EFFECT = re.compile(_DIFFERENCE_MADE +
                     r"|\bdid (?:it|that|this|they) (?:actually |ever |really |even )?(?:work|help|improve)\b"
                     r"|\bdid [\w' ]{3,40}? (?:actually|ever|really|even) (?:work|help|improve)\b(?! out\b)"
                     r"|\bdid [\w' ]{3,60}? make (?:\w+ ){1,3}(?:feel )?(?:safer|better|happier)\b"
                     r"|\bwhat (?:came|has come|happened) (?:of|from) (?:it|that|this|them)\b|\bdid it get sorted\b", re.I)
# What things are called: "8 domains - what are they called?", "what are their names?"
_NAMES_WANTED = re.compile(r"\bwh?at(?:'s|s| is| are| were| was)? (?:they|those|these|them|it|each|each one) (?:actually )?called\b"
                           r"|\bwhat (?:are|were) (?:their|the) names\b", re.I)
# "the first one", "and the second?": an ordinal with no noun of its own ("the first round" has one)
# (or by its number: "what does number 3 say exactly?" after the key findings)
_BARE_ORDINAL = re.compile(rf"\bthe (?:{ORDINAL_WORDS}|middle) one\b|\bthe (?:{ORDINAL_WORDS}|middle)\s*(?:[?.!,]|$)"
                           r"|\b(?:number|no\.?|item) ?\d{1,2}\b", re.I)
# "did it make any difference?" and "what difference does it make?" ask about an effect, not for a comparison.
_MAKES_A_DIFFERENCE = re.compile(_DIFFERENCE_MADE +
                                 r"|\bdifference (?:does|did|do|has|would|will|could) \w+ make", re.I)
# The wh-word a question opens with (after "and", "so", "ok"...) says what kind of answer it wants.
_OPENING = re.compile(r"^\W*(?:[^,?.]{3,60},\s*)?(?:(?:and|so|but|ok|okay|also|then|hi|please)\W+)*(who|whom|whose|when(?=(?:'s|’s)|\s+(?:is|was|are|were|did|does|do|will|would|has|have|had|can|could|should|might|exactly)\b|\s*(?:\?|$))|where (?:do|should|can|could|would) (?:we|i|you) (?:start|begin)|where (?:does|do|did) [^?]+? comes? from|where(?![^?]*\b(?:comes? in|comes? into|fits?|sits?)\b)|why|how many|how much)\b",
                      re.I)
_OPENING_TYPES = (("person", r"who|whom|whose|where .+ comes? from"), ("date", "when"), ("howto", r"where .+ (start|begin)"), ("site", "where"), ("reason", "why"),
                  ("number", r"how\s+(many|much)"))
# "When they say X, do they mean ...?" asks what X means, not when.
_WHEN_THEY_SAY = r"\bwhen (?:they|you|we|people|(?:the )?(?:report|framework|project|cip|rip|research in practice)) (?:say|says|talk about|talks about|mention|mentions|refer to|refers to|use the (?:word|term)) "
_POLITE = re.compile(r"^\W*(?:(?:can|could|would|will) (?:you|u|someone|somebody|anyone|anybody)|can i ask you to|please)\s+(?:please\s+)?"
                     r"(?=(?:explain|tell|describe|give|list|name|summari[sz]e|outline|say|show|remind)\b)", re.I)
# Text-speak question words: "wat r the system enablers" asks what they are
_TEXTSPEAK = ((re.compile(r"\b(?:wat|wot|wht|wut)\b", re.I), "what"), (re.compile(r"\br\b(?!\.)", re.I), "are"),
              (re.compile(r"\bu\b(?!\.)", re.I), "you"))
_NOT_DEFINING = re.compile(r"\b(?:out|know|knows|about|see|check|understand|learn|record|records|recorded)\s+what(?:'s|’s| is| are)\b"
                           # "research on how need gets defined and measured" is about defining, asks for no definition
                           r"|\bhow (?:\w+ ){1,3}(?:gets?|is|are|was|were|got) defined\b"
                           r"|\bwhat(?:'s|’s| is| are)\b(?=[^?.,]{0,40}?\b(?:doing|up to|planning|working on)\b)", re.I)
# "what were the figures on X compared with Y?" asks for numbers, whatever it compares
_FIGURES_ASKED = re.compile(r"\bwhat (?:were|are|was|is) (?:the |their |its )?(?:\w+ ){0,2}(?:figures?|numbers|stats|statistics|"
                            r"percentages?)\b"
                            # "what's the overall budget for the project?" asks for an amount, not a definition
                            r"|\bwhat(?:'s|s| is| was| were| are) (?:the |their |its )?(?:\w+ ){0,1}(?:budget|cost|amount)s?\b", re.I)
# "which councils are the partner sites?" asks for the whole list
_FRAMEWORK_ITSELF = re.compile(r"\bwhat(?:'s| is| was)(?: the| this| that)(?: cip)? framework (?:(?:actually|really|even|meant) )?"
                               r"(?:for|about|trying|supposed|there)\b", re.I)
_USED_FOR = re.compile(r"\bwhat(?:'s| is| are) [^?.]{1,40}? (?:(?:being|mostly|mainly|actually|really|mostly being) )*used for\b",
                       re.I)
_USED_FOR_END = re.compile(r"\b(?:is|are|gets?|being) used for\W*$", re.I)  # "what sorts of recording does it get used for?"
# "the two principles": a count and the plural it counts
_COUNT_WORDS = "two|three|four|five|six|seven|eight|nine|ten"
COUNTED = re.compile(rf"\b({_COUNT_WORDS}) ([a-z]{{3,}}s)\b", re.I)
_THEY_COUNTED = re.compile(rf"\b(?:{_COUNT_WORDS}|[2-9]|10) [a-z]+s\b.*\bwhat (?:are|were) (?:they|those|these|them)\b", re.I)
# "what were the three things it focused on?": the things counted, asked for all together
_WHAT_COUNTED = re.compile(rf"^\W*(?:so |and |ok )?(?:what|which) (?:are|were) (?:the|their|its|his|her) (?:{_COUNT_WORDS}|[2-9]|10) [a-z]+s\b", re.I)
# "what did they find in the survey?": "find" asks for what came out, its results, and is no topic ("the survey
# findings" is not its answer; "does not report the results of Hampshire's data model" is); "what did the report
# find?" asks for the report's findings
_FIND_ASKED = re.compile(r"\b(what (?:did|do|does) (?!(?:the |their |its )?(?:full |final |cip |big )?(?:report|cip|project|research)\b)"
                         r"(?:[\w'-]+ ){1,4})(?:find|found)\b", re.I)
_CASE_FOR = re.compile(r"\b(?:argument|arguments|case|rationale|reasoning|thinking|logic) (?:behind|for)\b", re.I)
_WHICH_SITES_ARE = re.compile(r"^\W*(?:which|what) (?:are )?(?:the )?(?:four |4 )?(?:partner |local )?(?:councils|sites|authorities|las|areas|partners)"
                              r" (?:are|were)\b", re.I)
# "which national datasets does practice 8 actually mean?" asks which ones, not for a definition
_WHICH_MEANT_ASKED = r"which (?!of\b|one\b)\w+(?: \w+)? (?:does|do|did) [^?]+?\bmean\b"
_WHICH_MEANT = re.compile(rf"^\W*{_WHICH_MEANT_ASKED}", re.I)
# ... also asked after something else: "the 8th practice - what is it and which national datasets does it mean?"
_WHICH_MEANT_TOO = re.compile(rf"(?:\band|[-–,;?])\s+{_WHICH_MEANT_ASKED}", re.I)
# "which of those ...?" chooses among what was listed
_WHICH_OF_THOSE = re.compile(r"^\W*(?:(?:and|so|ok|okay)\W+)*which (?:one )?of (?:those|them|these|the four)\b", re.I)
# "how did they define generative AI?" asks for the definition
_HOW_DEFINED = re.compile(r"^\W*(?:(?:and|so|but|ok|okay)\W+)*how (?:do|does|did|would|is|are|was|were) [^?]{0,60}?\bdefin(?:e|es|ed)\b"
                          # "... asked me what CIP means by 'voice'. How do I explain it to her simply?"
                          r"|\bwhat [^?.]{0,40}\bmeans? by ['‘\"“][^?]*\bhow (?:do|would|can|could|should) (?:i|we) explain\b",
                          re.I)
_WHAT_MAKES = r"\bwhat makes? .*?(?<=\s)['\"‘“]([^'\"’”]+)['\"’”](?=\W|$)"
_FOCUSED_ON = r"(?:actually |really |mainly |mostly )?(?:focus(?:s)?ed|centred|centered) on"  # asks what a thing is about
_SUBJECT = (
    re.compile(_WHAT_MAKES, re.I),
    re.compile(_WHEN_THEY_SAY + r"['\"]?(.+?)['\"]?(?:,| do | does | is | are | they | it |\?|$)", re.I),
    re.compile(r"\b(?:mean|meant) by (?:the (?:word|term) )?['\"]?(.+?)['\"]?(?:\?|$|,| in the | in | exactly)", re.I),
    re.compile(r"\bwhat (?:counts|(?:do|does) (?:they|it|the \w+|cip) (?:class|count|regard|treat)) as (?:an? |the )?['\"]?(.+?)['\"]?(?:\?|$|,| in the | in | for | according)", re.I),
    # "what has to be true for our info use to count as 'effective'?" asks what 'effective' means
    re.compile(r"\bto (?:count|qualify) as (?:an? |the )?['\"‘“]?(.+?)['\"’”]?(?:\?|$|,| in the | in | under | for | according)", re.I),
    re.compile(r"^\W*(.+?),? what (?:is|are|'s) (?:that|this|it|they)\b", re.I),
    re.compile(r"\bwhat (?:does|do) (?:the (?:word|term) )?['\"]?(.+?)['\"]? (?:(?:actually|really|even|exactly|just|basically) )?"
               r"(?:mean|stand for|involve|cover)\b", re.I),
    # "what is governance supposed to cover?": the verb after the term is not part of it
    re.compile(r"\bwhat(?:s| is| are|'s) (?:meant by |an? |the )?(?:term |word )?['\"]?(.+?)['\"]?(?:\?|$|,| in the | in | according| exactly"
               r"| (?:supposed|meant|there) to\b| (?:actually |really )?(?:covers?|includes?|involves?)\b"
               # "what's Hampshire's IUP focused on?" asks what it is about: "focused on" is no part of the subject
               rf"| {_FOCUSED_ON}\b"
               # "what's LEAP and what did it share with the learning network?": a second question is no part of it
               r"| and (?:what|why|how|who|when|where|which)\b)", re.I),
    re.compile(r"\b(?:meaning of|define|definition of) ['\"]?(.+?)['\"]?(?:\?|$| in )", re.I),
)
_MONEY = re.compile(r"\bhow much (money|funding|cash|did .+ (get|receive|cost)|(?:was|is) (?:it|that|the \w+)\s*\??$)|\b(budget|grant|funding|cost|spend|spends|spent|spending|(?<!years' )(?<!year's )(?<!months' )(?<!decade's )worth|£)\b", re.I)
_DURATION = re.compile(r"\bhow long\b|\bfor how many (years|months)\b|\bhow many (?:years|months|weeks)'? worth\b", re.I)
# "what were the figures in the north yorkshire example?": percentages or proportions, not a count of things
_SHARE = re.compile(r"\b(?:figures|numbers|percentages?|per ?cent|proportions?|statistics|stats)\b|%", re.I)
_KIND_WORD = re.compile(r"\b(approach|approaches|practice|practices|enabler|enablers)\b", re.I)
_EACH_SITE = re.compile(r"\b(?:each|every|all)(?: one)?(?: of)?(?: the| our)?(?: four| 4)?(?: partner)? "
                        r"(?:councils|sites|las|local authorities|authorities)\b", re.I)
_ACTOR = re.compile(r"\b(?:does|do|did|has|have|will|would|can|could)\s+(?:the\s+)?[\w-]+\s+(?:actually\s+|really\s+|ever\s+)?"
                    r"(?=(?:say|says|said|talk|mention|cover|covers|use|put|recommend|suggest|think|mean|define|describe|"
                    r"give|offer|have anything|done|made|produced|published|released|put out|run|held|recorded|created|written|"
                    # "does CIP care whether ...?", "does the project see X as Y?": its view, not the project
                    r"care|want|expect|see|believe|feel|advise|require|encourage|reckon|agree|consider|value|prefer|support|favour|endorse)\b)"
                    # "what is CIP doing next?": what the project does next, not the project
                    r"|(?:\b(?:is|are)\s+|'s\s+)(?:the\s+)?[\w-]+\s+(?=(?:doing|planning|going to do)\s+(?:next|now)\b)", re.I)
_NEXT_TO = re.compile(r"\bnext to\b", re.I)
# "apart from the voice one": the one named is not meant
_APART = re.compile(r"\b(?:apart from|except|besides|other than|not)\b", re.I)
_IN_THE_NAME = re.compile(r"\bwhich (?:ones? )?of (?:those|these|them|the \w+)\b.*?\b(?:have|has|with|mention|mentions|"
                          r"include|includes|use|uses|got)\s+(?:the (?:word )?)?['\"]?([\w-]+(?: [\w-]+)?)['\"]?\s+in (?:the|their|its) "
                          r"(?:name|names|title|titles)\b", re.I)
_OTHER = re.compile(r"\b(the other|other one|another one|the rest)\b", re.I)
_NOT_THIS = re.compile(r"\bnot (?:the )?([a-z]+)\b", re.I)  # "the other one, not ethical": the one not meant
# "what about Hampshire?", "and Oldham?": a name alone, asked of in the last question's terms
_WHAT_ABOUT = re.compile(r"^\W*(?:(?:and|so|ok|okay)\W+)?(?:(?:what|how) about\W+|and\W+)(?:the\W+)?(?:[\w'-]+\W*){1,3}$", re.I)
_ALL_OF = re.compile(r"\b(those|these|them|all of them|each of them|each one|both)\b", re.I)
_POINTING = re.compile(
    r"\b(it|its|it's|they|their|them|these|those|this one|that one|there|he|she|his|her|"
    r"(?:this|that|the same) (?:practice|approach|enabler|set|one|site|project|area|element|report|finding|council))\b"
    # "anything that looks like that in practice?", "is there more about this?": "that" pointing back, not joining
    r"|\b(?:like|about|with|for|of|to|at|from|on|after|do|does|did|doing|done) (?:that|this)\b(?=\s*(?:in\b|at\b|[?.!,]|$))"
    # "can you say a bit more about the fourth?": an ordinal with no noun of its own points at the last answer's list
    rf"|\bthe (?:{ORDINAL_WORDS}|last|final|middle)(?: one)?\b(?=\s*(?:[?.!,]|$))"
    # "what do Research in Practice call the two kinds?": a count of kinds with no "of" names the last answer's
    r"|\bthe (?:two|three|four|both) (?:kinds|types|sorts|things|ways|parts|sides|groups|options|categories)\b(?!\s+of\b)"
    # "how many ppl attended": a count of who came, with nothing named that they came to
    r"|^\W*how many (?:people|ppl|folk|folks|attendees|delegates|practitioners|staff)?\s*(?:attended|went|came|turned up|"
    r"joined|signed up|were there|took part)\W*$"
    r"|^\W*(and\b|also\b|what about|how about|tell me more|more\b|go on|why\b|how so|such as|for example|"
    r"any examples?|examples?\b|what else|anything else)", re.I)
# "explain the first one like i'm a childminder": "one" stands for an item of the last answer wherever it stands
_ONE = re.compile(rf"\bthe (?:{ORDINAL_WORDS}|last|final|middle|other|\d(?:st|nd|rd|th)) one\b", re.I)
# "which one asks about building trust?" chooses among what the last answer gave, whatever words it adds
_WHICH_ONE = re.compile(r"^\W*(?:(?:and|so|ok|okay)\W+)?which (?:one|ones|of (?:them|those|these|the two|the three|both))\b", re.I)
_GAPS = re.compile(r"\b(not (covered|say|said|described|published)|missing|gaps?|doesn't say|does not say|"
                   r"unknown|not known|what is not)\b"
                   # "what don't they tell us about it?"
                   r"|\b(?:don't|do not|doesn't|does not|didn't|did not) (?:they |it |we |the \w+ )?"
                   r"(?:tell|say|cover|mention|know|give)\b"
                   # "Do they say which Practice goes with which Approach?" asks whether the material says it at all.
                   r"|^\W*(?:do|does) (?:they|it|the (?:framework|report|project|material)|cip) (?:actually )?"
                   r"(?:say|specify|spell out|tell (?:us|you|me)) (?:which|who|when|how|whether|anything)\b"
                   # "is the second one actually defined anywhere?" doubts that the material says it at all ("is there a
                   # definition of voice anywhere?" does not).
                   r"|^\W*(?:is|are|has|have|does|do)\b(?=[^?]*\bactually\b)[^?]*\b(?:defined|described|"
                   r"published|written up|spelt out|spelled out|an? (?:definition|description))\b", re.I)
_LAYER = re.compile(r"\b(which|what|whichever|is there an?|are there any|any)\s+(?:\w+\s+)?(approach|practice|enabler)\b",
                    re.I)
# the layers paired as wholes: "which practices sit under which approach", "each of the 4 approaches" (not "which
# approach does the broad local info practice sit under?", one Practice described, not named)
_ACROSS_LAYERS = re.compile(r"\b(?:approaches|practices)\b|\beach\b|\bwhich (?:approach|practice)\b.*\bwhich (?:approach|practice)\b",
                            re.I)
# "Does P5 sit under approach 3?", "is practice 2 part of A4?": how a Practice relates to an Approach
_SITS_UNDER = re.compile(r"\b(?:sits?|fall|falls|come|comes|belong|belongs|go|goes) (?:under|with|in|to)\b|\bpart of\b"
                         r"|\bsupports?\b|\blinked to\b|\bmaps? (?:on)?to\b", re.I)
# "which practices go with ...?": several of a layer asked for
_LAYERS_ASKED = re.compile(r"\b(?:which|what)\s+(?:\w+\s+)?(approach|practice|enabler)(?:es|s)\b", re.I)
# "which of the approaches is about ...?" asks for one of them, as "which approach" does
_LAYER_OF = re.compile(r"\b(which|what)\s+(?:one\s+)?of the\s+(?:(?:\d|two|four|eight)\s+)?(approach|practice|enabler)(?:e?s)\s+"
                       r"(?:is|was|does|covers|fits|would|deals|looks|matches|lines|sits?|goe?s|falls?|belongs?)\b", re.I)
# "Is AI in case recording linked to any of the eight practices?" asks which one it is linked to
_LAYER_OF_ANY = re.compile(r"\b(?:linked|related|connected|tied|relevant|belong|belongs|fit|fits|sit|sits|come|comes)\s+"
                           r"(?:to|with|under|in)\s+(any)\s+of the\s+(?:(?:\d|two|four|eight)\s+)?(approach|practice|enabler)",
                           re.I)
# "We're trying to move our team from a compliance culture to one built on trust. Is that one of the enablers?" asks
# which one it is
_IS_THAT_ONE_OF = re.compile(r"\b(?:is|are) (that|this|it|they|those|these) (?:\w+ )?(?:one|part|any) of the\s+"
                             r"(?:(?:\d|two|four|eight|system)\s+)?(approach|practice|enabler)(?:e?s)\b", re.I)
_PART = re.compile(r"\b(which|what) (part|bit|element|section) of the framework\b", re.I)
_LIST_VERBS = re.compile(r"\b(what|which|list|name|tell me|show|give|enumerate|outline|summari[sz]e|how many|overview"
                         r"|(?:talk|walk) (?:me |us )?through)\b", re.I)
# A clause asks for the list itself only with a verb that says so ("what are system enablers supposed to be, in a
# sentence" asks what they are)
_LIST_ASKED = re.compile(r"\b(list|name|tell me|remind me|show|give|enumerate|outline|how many"
                         r"|(?:talk|walk) (?:me |us )?through)\b", re.I)
# ... or asks what they are called ("what are the system enablers called again? cant find my notes")
_CALLED_ASKED = re.compile(r"\b(?:called|names)\b", re.I)
_WHAT_CALLED = re.compile(r"\bwh?at(?:'s|s| is| was)? (?:it|that|this|that one|this one|the \w+(?: one)?) (?:actually )?called\b"
                          # "remind me what the 3rd approach is called"
                          r"|\bwh?at (?:the|that|this) [\w' ]{1,30}? (?:is|was) (?:actually )?called\b", re.I)
_MEMBERSHIP = re.compile(r"^\W*(?:is|are)\b(?!\s+there\b).+\b(?:one of|part of|among|in) (?:the )?(?:\w+ )?"
                         r"(?:approaches|practices|enablers|system enablers|enabler sets)\b"
                         r"|^\W*(?:is|are)\b(?!\s+there\b).+\b(?:an?|the) (?:\w+ )?(?:approach|practice|enabler)\b"
                         # "is north yorkshire one of the partner councils?"
                         r"|^\W*(?:is|are|was|were)\b(?!\s+there\b).+\b(?:one of|part of|among) (?:the )?(?:\w+ )?(?:partner )?"
                         r"(?:sites|councils|local authorities|authorities|las)\b", re.I)
_LIST_OF = re.compile(r"\b(?:list|names|run-?down) of (?:all )?(?:the )?(?:\d+ |four |eight |two )?"
                      r"(approaches|practices|enablers|enabler sets|system enablers)\b"
                      r"(?!\s+(?:that|which|who|where|on|about|in|to|with|under|from|of)\b)", re.I)
_PLURALS = re.compile(r"\b(approaches|practices|enablers|enabler sets|system enablers)\b", re.I)
_FRAMEWORK_SHAPE = re.compile(
    r"\bframework\b.*\bhow (?:is|does) (?:it|the (?:cip )?framework) (?:\w+ly )?(?:put together|structured|organi[sz]ed|laid out|set out|fit together)\b"
    r"|\bhow (?:is|does) the (?:cip )?framework (?:\w+ly )?(?:put together|structured|organi[sz]ed|laid out|set out|fit together)\b"
    r"|\b(parts|bits|layers|structure|components|elements|made up of|consist)\b.*\bframework\b"
    r"|\bframework\b.*\b(parts|bits|layers|structure|components|made up of|consist)\b"
    # "a quick overview of the CIP framework", "the gist of the framework in a couple of lines"
    r"|\b(?:overview|gist|summary|summari[sz]e|nutshell)\b(?: of| on)?(?: the| this| that)?(?: whole)?(?: cip)? framework\b"
    r"(?!\W+(?:for|on|about|and|or|is|was)\b)", re.I)
_ASKING_WORDS = r"who|whom|whose|what|when|where|which|why|how|is|are|does|do|can|could|should|did"
# a clause that opens as a question asks something ("... for me, what else do i need?")
_ASKING_WORD = re.compile(rf"\s*(?:(?:and|but|or|so|also)\s+)?(?:{_ASKING_WORDS}|would|will)\b", re.I)
_STRUCTURE_WORDS = frozenset(terms(
    "approaches practices enablers enabler sets system systems framework cip one two three four five six seven eight nine ten main key core different "
    "list name names called show enumerate outline summarise summarize many overview all each every what which "
    "ethical effective information info use children's project are there "
    # "list the eight practices pls", "can someone remind me what all eight practices are?"
    "please pls plz can could you me us give tell quick quickly again total altogether overall someone anyone remind "
    # "talk me through the four approaches"
    "talk walk through briefly"))
RELATED_WEIGHT = 0.5  # a related everyday word (assistant/data/related.txt) counts half
PREMISE_WEIGHT = 0.0  # a word only of what a "what happened after ...?" question takes as given does not count
# (half weight still led with the survey itself, not what came of it)
_WHAT_NEXT = re.compile(r"\bwhat (?:happened|happens|did (?:they|it|we|you|\w+) do|came|was done|comes)\b", re.I)
_PREMISE = re.compile(r"\b(?:once|after|when|now that) (?:they|we|you|it|he|she|the \w+) "
                      r"(?:had|have|got|did|finished|ran|published|received|saw|heard)\b([^?.,;]*)", re.I)
_NOW_DONE = re.compile(r",? (?:now|now that|since) (?:the|their|its|our|your) [\w' ]{1,30}?(?:'s|’s| is| are| has been| have been| was) "
                       r"(?:out|published|done|finished|over|launched|released)\b(?=\W*$)", re.I)
_WHAT_HAPPENS = re.compile(r"\bwhat (?:will |is going to |'s going to )?(happens?|happened)\b", re.I)
_OTHER_QUALIFIED = re.compile(r"\bother ((?:[\w'-]+ ){1,3})one\b", re.I)
# a phrase quoted in an answer's first line (double quotes only, unlike _QUOTED: "hearing children's voices" holds an
# apostrophe, where _QUOTED stops)
_QUOTED_ITEM = re.compile(r"[“\"]([^”\"]{3,60})[”\"]")
QUOTED_LIST = 3  # this many quoted phrases in a line are a list a follow-up's ordinal can pick from
# a run of three or more short names, set off by a bracket or a colon: "(Oxford, Sussex, LSE and UCL)"
_NAMED_RUN = re.compile(r"(?:\(|: )((?:[A-Z][\w'-]*(?: [\w'-]+){0,4}, ){2,}[A-Z][\w'-]*(?: [\w'-]+){0,4}?,? and "
                        r"[A-Z][\w'-]*(?: [\w'-]+){0,4}?)(?=[);.]|$)")


def named_run(line: str) -> list[str]:
    """The names of the first run of three or more a line lists, each opening with a capital.

    >>> named_run("Five were named (Oxford, Sussex, LSE, University College London and Manchester Metropolitan).")
    ['Oxford', 'Sussex', 'LSE', 'University College London', 'Manchester Metropolitan']
    """
    run = _NAMED_RUN.search(line)
    if not run:
        return []
    *names, last = run.group(1).split(", ")
    return names + [n for n in re.split(r"^and | and ", last, maxsplit=1) if n]


def colon_list(line: str) -> list[str]:
    """The items of a line that lists three or more after a colon, split by semicolons.

    >>> colon_list("Rochdale works with: the LGA, on its strategy; the Innovation Unit, on families; Dingley's Promise.")
    ['the LGA, on its strategy', 'the Innovation Unit, on families', "Dingley's Promise"]
    """
    _, colon, rest = line.partition(": ")
    items = [re.sub(r"^and ", "", item.strip()).rstrip(".") for item in rest.split("; ")] if colon else []
    return items if len(items) >= QUOTED_LIST and all(items) else []


# "what is X focused on?" is "what is X about?": the words asking it are no more a focus than "about" is
_ABOUT_FRAME = re.compile(rf"\bwhat(?:'s|’s| is| are) .+? ({_FOCUSED_ON})\W*$"
                          # ... and "how did X come about?" asks how X began: "Mapping systems comes straight after
                          # Practice 3" has the verb, not the sense
                          r"|\b(?:how|why|when) (?:did|does|do) .+? (come (?:about|to be))\W*$", re.I)
# "who is Rochdale working with outside the council?": what is set aside is not what is asked about
_SET_ASIDE = re.compile(r"\b((?:outside|apart from|other than|besides|except(?: for)?|not counting) (?:of )?(?:the |our |its |their |your |his |her |this |that )?[\w'-]+)", re.I)
RARE_DF = 4  # a term in this few chunks (or none) names a topic of its own: the question stands alone


@dataclass(frozen=True)
class Question:
    """One question as read: every later stage works from this, never from the raw text."""

    text: str  # cleaned and redacted, as asked
    words: str  # placeholders removed, spelling fixed: what scope and selection judge
    query: str  # what retrieval searches (a follow-up carries the earlier topic)
    elements: tuple[str, ...]  # ids the question is about, named or resolved, in order
    named: tuple[str, ...]  # ids its own words name
    followup: bool
    answer_type: str
    focus: tuple[tuple[str, float], ...]  # (stemmed term, rarity weight) of the question's own words
    subject: tuple[str, ...] = ()  # stemmed terms of what a definition question asks about
    layer: str | None = None  # "practice" for "which practice is about ...?"
    structure: str | None = None  # "approach" | "practice" | "enabler" | "framework" for a structure question
    fixes: tuple[tuple[str, str], ...] = ()
    about_gaps: bool = False
    wants_overview: bool = False
    measure: str = ""  # for a number: "money" (how much funding), "duration" (how long), "share" (the figures) or "count"
    sides: tuple[tuple[str, ...], ...] = ()  # a comparison of two terms: the stemmed terms of each side
    asks: str = ""  # when the question tells a story first, the sentence that asks ("... what do the principles say?")
    relation: str = ""  # the stemmed verb a "who" question asks about ("who funded LEAP?" -> fund)
    item: int = 0  # "and the fourth?" about a list inside a document: the list item asked for (-1: the last)
    membership: bool = False  # "is mapping information one of the practices?": "X is the third of the eight" answers it
    lacking: str = ""  # stemmed term of what it asks whether the material has ("is there an actual method ...?" -> method)
    effect: bool = False  # asks what came of something ("did the Care Champions work make care leavers feel safer?")
    names_wanted: bool = False  # asks what things are called ("8 domains - what are they called?")
    bare_ordinal: bool = False  # an ordinal with no noun of its own: "the first one", "and the second?" ("the first round" has one)
    phrase: str = ""  # a quoted term of two words or more, as words: "what is 'Voice AS Information'?" -> voice as information
    pairing: str = ""  # the layer asked for an element named: "which approach does practice six sit under?" -> approach
    # (either layer, "approach|practice", when the question pairs the layers across the whole Framework)
    named_outright: tuple[str, ...] = ()  # ids named by id, number or title, not by an alias: scope counts these
    # a second part of another kind: "who funds the CIP and how much did they get?" -> ("number", "money")
    also: tuple[str, str] = ()
    said: str = ""  # a follow-up: the first line of the answer it follows, which it does not ask for again
    uses: bool = False  # asks what something is used for ("what is GenAI mostly being used for in social work?")
    # the stemmed verb (and its "out") of the end a how-question asks the means to: "how did Oldham go about finding out
    # ...?" -> "find out"
    goal: str = ""

    @property
    def focus_terms(self) -> frozenset[str]:
        """The stemmed terms of the question's own words."""
        return frozenset(t for t, _ in self.focus)

    @property
    def aliased(self) -> tuple[str, ...]:
        """The Approaches, Practices and Enablers only an everyday phrase (an alias) points to."""
        return tuple(i for i in self.elements if kind_of(i) in KIND_COUNT and i not in self.named_outright)

    @property
    def about(self) -> tuple[str, ...]:
        """The elements the question is about: an Approach, Practice or Enabler that only an everyday phrase points to
        does not count beside one named by id, number or title ("take stock of our data infrastructure ... under
        mapping systems" asks about Practice 4, not Enabler set 1)."""
        if not any(kind_of(i) in KIND_COUNT for i in self.named_outright):
            return self.elements
        return tuple(i for i in self.elements if i not in self.aliased)


class QuestionReader:
    """Turns a cleaned question and the conversation into a `Question`, using the live index's words.

    >>> QuestionReader(snapshot).read("What is P5?", []).elements
    ('P5',)
    """

    def __init__(self, snapshot: Snapshot, english: frozenset[str] = frozenset()) -> None:
        self.snapshot = snapshot
        self.english = english

    def read(self, text: str, history: Sequence[Turn] = ()) -> Question:
        """Read one question in its conversation."""
        snap = self.snapshot
        # "what's the LGA one for?": initials the corpus never uses, of a name it spells out, read as that name
        spelt = expand_acronyms(text, snap.acronyms, lambda w: w.lower() in snap.raw_words or bool(snap.elements.mentioned(w)))
        fixed = correct_spelling(spelt, snap.raw_words, snap.vocabulary, self.english)
        fixes = tuple((a, b) for a, b in zip(spelt.split(), fixed.split()) if a != b)
        # "what's CIP planning to do next now the report's out?": what has happened is given, not asked about
        fixed = _NOW_DONE.sub("", fixed) or fixed
        # "catch me up on CIP", "brief me on oldham's project": asked as "tell me about" is (its words are no topic)
        fixed = _TELL_ME.sub("tell me about", fixed)
        fixed = _THROUGH.sub("talk me through", fixed)  # "run us through the enablers"
        # "does cip say anything about ...?": the one who says it is not what the question is about, so a report
        # document named only there is not named (an Approach, Practice or Enabler named anywhere still is).
        named = tuple(snap.elements.mentioned(fixed))
        if any(kind_of(i) == "report" for i in named) and _ACTOR.search(fixed):
            acting = snap.elements.mentioned(_ACTOR.sub(" ", fixed))
            named = tuple(i for i in named if i in acting or kind_of(i) != "report")
        if not named and _FRAMEWORK_ITSELF.search(fixed) and snap.doc_chunks("framework"):
            named = ("framework",)  # "what is the framework actually for?" is about the Framework as a whole
        asks = asking_sentence(fixed)
        answer_type = answer_type_of(asks)
        structure = structure_of(fixed) if answer_type not in ("comparison", "date", "person") else None
        if structure is not None:
            answer_type = "list"
        # A remark after the question says why it is asked more than what about: the words only it uses are not the
        # question's focus ("Are the 10 key findings and the 10 key messages the same list? I've seen both quoted":
        # not *Seen, Heard and Understood*). Retrieval still reads it ("Is the framework finished? ... rewritten").
        end = fixed.find(asks) + len(asks) if asks != fixed and asks in fixed else len(fixed)
        core = fixed[:end]
        # "the ethical principle", then "and the other one?": the other item of the pair (Effective), worked out once
        # for both the search and the subject
        last = last_answered(history)  # the turn a follow-up leans on
        paired = last if _OTHER.search(fixed) else None
        # (or named as the one not meant: "the two core principles?", then "the other one, not ethical - what is it?")
        pair_chunks = snap.doc_chunks(paired.focus or "") if paired else []
        # (the turn's own words name it too: "the two core principles?", "what does it mean by effective?", then "and
        # the other one?")
        pair_other = (_other_label(paired.topic_question, pair_chunks) or _other_label(paired.question, pair_chunks)
                      or _other_label(" ".join(_NOT_THIS.findall(fixed)), pair_chunks)) if paired else ""
        query, elements, followup, picked = self._resolve(fixed, named, history, pair_other)
        if not followup and len(elements) == 1 and _OTHER.search(asks) and not snap.elements.mentioned(asks):
            # "Behaviours and culture is one of the system enablers. What's the other one?": the other of a pair
            other = _other_of(elements[0], ())
            if other:
                query, elements = f"{fixed} {title_of(other)}", (other,)
        # An ordinal the conversation did not take for an element asks for an item of a list in the text.
        # So does one naming an item in a question naming a report document: "what's the seventh key finding?" (not
        # "which came first, ... or the 10 key findings?").
        item = _item_of(fixed) if not picked and (followup or (_ITEM_ASKED.search(fixed) and any(
            kind_of(i) == "report" for i in named))) else 0
        step = _STEP.search(fixed) if followup and not item and not picked else None
        stepped_from = last if step else None
        if stepped_from is not None and stepped_from.item > 0:  # "what's the second one?", then "the one after that?"
            item = max(stepped_from.item + _direction(step), 1)
        if not item and not picked and any(kind_of(i) == "report" for i in (elements if followup else named)):
            # "what does key finding 7 say?"; "list key findings 5 to 10": a run of items starts at its first
            # (also in a follow-up about such a document: "what are the key findings?", then "and numbers 5 to 10?")
            numbered = _NOUN_ITEM.search(fixed) or _NOUN_RUN.search(fixed)
            item = int(numbered.group(1)) if numbered and 0 < int(numbered.group(1)) <= 20 else 0
        quoted = _QUOTED_ITEM.findall(last.lead) if followup and item and last is not None else []
        if followup and item and last is not None and len(quoted) < QUOTED_LIST:
            # "Which universities are partners?" ("... five (Oxford, Sussex, LSE, University College London and ..."),
            # then "which centre at the third one works on it?": a run of short names in the last answer's first line
            quoted = named_run(last.lead)
        # "who are Rochdale's partners?" ("Rochdale works with: the LGA, on ...; ...; Dingley's Promise, on ..."), then
        # "what's the last of those doing with them?": an item of the list after the colon, told in its own document
        told_items = colon_list(last.lead) if followup and item and last is not None and len(quoted) < QUOTED_LIST \
            else []
        # "What are Feinstein's four phrases?" ("hearing children's voices", ..., "acting on what we learn"), then
        # "which approach does the last one line up with?": the phrase in that place is what it asks about
        items = quoted if len(quoted) >= QUOTED_LIST else told_items
        if items and abs(item) <= len(items):
            picked_item = items[item - 1 if item > 0 else item]
            query, core, item = f"{query} {picked_item}", f"{core} {picked_item}", 0
            if items is quoted:
                elements = ()  # (not the document the list came from: "Approach 1: ..." of the Framework's own list)
        if answer_type == "comparison" and len(named) == 1 and history:
            # "How is that different from Practice 4?": the other side is what the conversation was about.
            earlier = next((t.focus for t in reversed(history) if not t.refused and t.focus), None)
            if earlier and earlier != named[0]:
                query, elements, followup = f"{fixed} {title_of(earlier)}", (earlier, named[0]), True
        plural = _PLURALS.search(fixed)
        if answer_type == "comparison" and len(elements) < 2 and plural and len(_kinds_named(fixed)) == 1:
            # "the difference between the two enablers": every member of that layer is a side.
            members = tuple(i for i in elements_of_kind(_layer_kind(plural.group(1))) if snap.doc_chunks(i))
            if 2 <= len(members) <= 4:
                elements = members
        if _EACH_SITE.search(fixed) and not any(i.startswith("site-") for i in elements):
            # "a one liner on each of the four partner councils' projects": every partner site is a side.
            members = tuple(sorted({c.doc_id for c in snap.chunks if c.doc_id.startswith("site-")}))
            if 2 <= len(members) <= 4:
                elements, answer_type = members, "comparison"
        if answer_type == "other" and elements and all(i.startswith("site-") for i in elements) \
                and _WHICH_OF_THOSE.search(fixed):
            answer_type = "site"  # "which councils are the partner sites?" then "which of those did care leavers?"
        if followup and answer_type in ("other", "overview", "yesno") \
                and (ORDINAL.search(fixed) or (picked and _STEP.search(fixed))) and not _asks_more(fixed) \
                and not (elements and _kinds_named(fixed) - {kind_of(elements[0])}):
            # "what about the third?"; not "does the second one have a definition?", nor "which practices support the
            # last one?" after the Approaches (another layer asked of it)
            answer_type = "overview"
        n = max(len(snap.chunks), 1)
        # ("put the survey next to the returns": "next to" is "beside", not the next steps)
        topical = _NEXT_TO.sub("beside", _FIND_ASKED.sub(r"\1 results", core))
        topical = _ANSWER_FORM.sub(" ", topical)  # "in plain english", "for new starters": how to answer, not what about
        own = list(dict.fromkeys(terms(topical)))
        related = [r for r in dict.fromkeys(expanded_terms(topical)) if r not in own]
        # "what happened once they had the survey results?": the results are the premise, what came next is asked
        premise = _PREMISE.search(topical) if _WHAT_NEXT.search(topical) else None
        # ("what about the other Greater Manchester one?": the words that say which one are not what is asked about it)
        which_one = _OTHER_QUALIFIED.search(topical) if followup and elements else None
        set_aside = _SET_ASIDE.search(topical)
        frame = _ABOUT_FRAME.search(topical)  # "what's Hampshire's IUP focused on?" asks what it is about
        # "so what happens next with the project?": "happens" asks, as "what" does; it names no topic
        happens = _WHAT_HAPPENS.search(topical)
        given = {t for m in (premise, which_one, set_aside, frame, happens) if m is not None for t in _only_in(m, topical)}
        focus = tuple((t, round((1.0 + math.log(1 + n / df)) * (1.0 if t in own else RELATED_WEIGHT)
                                * (PREMISE_WEIGHT if t in given else 1.0), 3))
                      for t in own + related if (df := snap.vocabulary.get(t, 0) or kin(t, snap.vocabulary)))
        subject = subject_of(asks, fixed) if answer_type == "definition" else ()
        if answer_type == "yesno" and (just := _IS_IT_JUST.search(asks)):
            # "Is the ethical principle basically about being legal?" asks what the principle is
            subject = tuple(terms(_without_principle(just.group(1))))
        # (not a verb: "When Oldham mapped what gets recorded ..., which staff groups did they talk to?")
        asked_noun = next((m for m in _WHAT_NOUN.finditer(asks) if not _VERB_NEXT.match(asks, m.end())), None) \
            if answer_type in ("howto", "other", "person") and not subject else None
        noun = asked_noun.group(1).lower() if asked_noun else ""
        if noun and noun not in STOPWORDS and snap.vocabulary.get(stem(noun)):
            # "How did north yorks collect their evidence? like what methods": "The methods were: ..." answers it
            subject = (stem(noun),)
        named_one = _NAMED_ONE.search(fixed) if followup and not subject else None
        if named_one and not _PLACE_WORD.fullmatch(named_one.group(1)):
            # "the two core principles" then "what does the ethical one need?": the member the adjective names
            subject = tuple(t for t in terms(named_one.group(1)) if snap.vocabulary.get(t))
        if followup and not subject and paired is not None:  # the other item of the pair is the subject
            subject = tuple(terms(pair_other))
        quoted_term = _QUOTED.search(asks)
        if subject and quoted_term and set(terms(quoted_term.group(1))) < set(subject):
            # "What counts as 'ethical' use of children's data?": the quoted word is what it asks to define
            subject = tuple(terms(quoted_term.group(1)))
        layer_match = _LAYER.search(fixed) or _LAYER_OF.search(fixed) or _LAYER_OF_ANY.search(fixed) \
            or _IS_THAT_ONE_OF.search(fixed)
        layer = layer_match.group(2).lower() if layer_match else ("element" if _PART.search(fixed) else None)
        if layer is None and followup and len(elements) == 1 and kind_of(elements[0]) in LAYERS \
                and _WHICH_ONE.search(fixed) and last is not None and elements[0] in last.listed:
            # "What are the eight practices?", then "which one of those is the DfE returns one": one of that list
            layer = kind_of(elements[0])
        pairing = ""
        # (an element named by id counts: "which approach is P2 part of?")
        if layer and len(_kinds_named(fixed) | {kind_of(i) for _, i in ids_in(fixed)}) > 1:
            layer = None  # "which practice goes with which approach?" asks how two layers relate, not for one
            pairing = layer_match.group(2).lower() if layer_match else ""
        element_kinds = {kind_of(i) for i in elements}
        if not pairing and {"approach", "practice"} <= element_kinds and _SITS_UNDER.search(fixed):
            pairing = "approach"  # "Does P5 sit under approach 3?" asks which Approach P5 belongs to
        several = _LAYERS_ASKED.search(fixed)
        if not pairing and several and _SITS_UNDER.search(fixed) \
                and any(kind_of(i) in ("approach", "practice", "enabler") and kind_of(i) != several.group(1).lower()
                        for i in elements):
            pairing = several.group(1).lower()  # "which practices go with the integrating voice approach?"
        if pairing and not elements and not followup and snap.doc_chunks("framework") and _ACROSS_LAYERS.search(fixed):
            # "which of the 8 practices sits under each of the 4 approaches?": how the layers pair across the whole
            # Framework, a question about the Framework, answered by what it says (or not) of either direction
            named = elements = ("framework",)
            pairing = "approach|practice"
        # "What is meant by infrastructure in E1?" asks about a part of E1, not for E1's overview; "what does E2
        # cover?" names E2 itself.
        title_terms = set(terms(title_of(elements[0]))) if elements else set()
        definition_asked = bool(DEFINITION_ASKED.search(fixed))
        # "is there an actual method for ...?", "has the report got a list of ...?": whether the material has one (not
        # "is there a practice ...", whose word is one of the corpus's stock words for a gap).
        wanted = _EXISTS.search(fixed) or _NAMES_ASKED.search(fixed)
        lacking = (DEFINITION if definition_asked  # "is the second one actually defined anywhere?"
                   else WHETHER if _SAYS_WHETHER.search(fixed)  # "does CIP have a position on whether ...?"
                   else next((t for t in terms(next(g for g in wanted.groups() if g)) if t not in snap.silence_formula), "")
                   if wanted else "")
        if not lacking and _EXACT_WORDS.search(fixed):
            lacking = EXACT  # "I want to quote the report's exact definition ...": whether the material has the wording
        # "Is there an official definition anywhere of 'making best use of available information'?" asks the same
        definition_asked = definition_asked or lacking == DEFINITION
        term_asked = bool(quoted_term and subject and set(subject) <= set(terms(quoted_term.group(1)))
                          and set(subject) != title_terms)
        outright = tuple(snap.elements.named_outright(fixed))
        overview = (len(elements) == 1 and not term_asked  # "... mentions 'data architecture' - what does it mean"
                    and not definition_asked  # "is it defined anywhere?" asks whether there is one
                    # "which national datasets does it mean?", "does 'data' just mean the stat returns?": one thing
                    # about it, not what it is
                    # (unless it asks what it is too: "the 8th practice - what is it and which national datasets ...?")
                    and (not _ONE_THING_ASKED.search(fixed) or bool(_WHAT_IS_IT.search(fixed)))
                    and (set(subject) >= title_terms or not set(subject) & title_terms)
                    # "theres an LSE strand on defining and measuring needs - whats their working hypothesis": a thing of
                    # its own asked about, with the element named only by an alias, is no request for the element
                    and (followup or elements[0] in outright or not subject
                         or bool(set(subject) & title_terms))
                    and kind_of(elements[0]) in ("approach", "practice", "enabler")
                    and (answer_type in ("overview", "definition") or (not followup and len(terms(fixed)) <= 2)
                         # "the fourth practice - what's it called and is there an example?": its name first
                         or bool(_WHAT_CALLED.search(fixed))))
        return Question(text=text, words=fixed, query=query, elements=elements, named=named,
                        named_outright=outright, followup=followup,
                        answer_type=answer_type, focus=focus, subject=subject, layer=layer, structure=structure,
                        fixes=fixes, about_gaps=bool(_GAPS.search(fixed)), wants_overview=overview,
                        measure=measure_of(asks) if answer_type == "number" else "", asks=asks if asks != fixed else "",
                        sides=sides_of(fixed) if answer_type == "comparison" else (),
                        relation=relation_of(asks) if answer_type == "person" else "",
                        item=item, membership=bool(_MEMBERSHIP.search(fixed)), lacking=lacking,
                        effect=bool(_EFFECT.search(fixed)),
                        names_wanted=bool(_NAMES_WANTED.search(fixed) or _WHICH_MEANT_TOO.search(fixed)),
                        bare_ordinal=bool(_BARE_ORDINAL.search(fixed)), also=_second_part(asks, answer_type),
                        phrase=_phrase(asks), pairing=pairing, said=self._said(history) if followup else "",
                        goal=goal_of(fixed) if answer_type == "howto" else "",
                        uses=bool(_USED_FOR.search(fixed) or _USED_FOR_END.search(fixed)))

    def _resolve(self, text: str, named: tuple[str, ...], history: Sequence[Turn],
                 pair_other: str = "") -> tuple[str, tuple[str, ...], bool, bool]:
        """(retrieval query, elements, follow-up?, picked from the last answer's list by number?): the conversation
        decides what "it" or "the third" means. (`pair_other`: `_other_label` of the last answered turn.)"""
        previous = last_answered(history)
        if previous is None:
            return text, named, False, False
        listed = previous.listed or previous.cited
        ordinal = ORDINAL.search(text)
        # "the fourth" picks from the Approaches, Practices or Enablers an answer listed; after an answer drawn
        # from one document's own list ("the ten key findings") it points at that list's item instead.
        elements_listed = bool(previous.listed) or all(kind_of(i) in ("approach", "practice", "enabler") for i in previous.cited)
        if ordinal and elements_listed and len(listed) > 1 and not (_KIND_WORD.search(text) and named):
            picks = [_pick(listed, _ordinal_number(m.group(1))) for m in ORDINAL.finditer(text)]
            several = tuple(dict.fromkeys(t for t in picks if t))
            if len(several) > 1:  # "compare the first and the last"
                return f"{text} {' '.join(title_of(t) for t in several)}", several, True, True
            target = picks[0]
            if target:
                return f"{text} {title_of(target)}", (target,), True, True
        numbers = [int(n) for n in re.findall(r"\b([1-8])\b", text)]
        if numbers and len(listed) > 1 and not named and all(n <= len(listed) for n in numbers):
            targets = tuple(listed[n - 1] for n in numbers)  # "the difference between 3 and 4"
            return f"{text} {' '.join(title_of(t) for t in targets)}", targets, True, True
        if ordinal and not named and not previous.listed and not _FIRST_WHEN.search(text):
            # "Tell me about Rochdale's project", "And Oldham's?", then "going back to the first one, who do they partner
            # with?": with no list in the last answer, the conversation's own run of topics of one kind, in turn
            asked = list(dict.fromkeys(t.about for t in history if t.about and not t.refused))
            kinds = {"site" if i.startswith("site-") else kind_of(i) for i in asked}
            target = _pick(asked, _ordinal_number(ordinal.group(1))) if len(asked) > 1 and len(kinds) == 1 else None
            if target:
                return f"{text} {title_of(target)}", (target,), True, False
        if _OTHER.search(text) and len(listed) >= 2:
            # "the other one, the culture one": the one the message names by a word of its title, when it says which
            # one it means (not "apart from the voice one ...")
            meant = {i for m in _NAMED_ONE.finditer(text)
                     if not _PLACE_WORD.fullmatch(m.group(1)) and not _APART.search(text[:m.start()])
                     for i in listed if set(terms(m.group(1))) & set(terms(title_of(i)))}
            if len(meant) == 1:
                target = meant.pop()
                return f"{text} {title_of(target)}", (target,), True, False
            # "apart from the voice one, the needs one and the action one - what's the other one called?": the one
            # of the list whose title shares no word with the message
            words_used = set(terms(text))
            said = {i for i in listed if set(terms(title_of(i))) & words_used}
            rest = [i for i in listed if i not in said]
            if said and len(rest) == 1:
                return f"{text} {title_of(rest[0])}", (rest[0],), True, False
        if named and _WHICH_ONE.search(text):
            # "which of those goes with approach 4?" after Feinstein's four phrases: the phrases are still asked about
            return f"{text} {previous.topic_question}", named, True, False
        if named and _WHAT_ABOUT.match(text) and previous.focus not in named and not set(named) & set(previous.listed):
            # "which site is working on early years?" then "what about Hampshire?": the same question of Hampshire (after
            # a list that named it, "what about Oldham?" asks about Oldham itself)
            return f"{text} {previous.topic_question}", named, True, False
        if named:
            return text, named, False, False
        shifted = _shifted(previous, text)
        if shifted:  # "the third approach", then "and the next one?"
            return f"{text} {title_of(shifted)}", (shifted,), True, True
        if _OTHER.search(text):
            namesake = _namesake(previous.focus, text)
            if namesake:  # "what about the other mapping one?" after Mapping information: Mapping systems
                return f"{text} {title_of(namesake)}", (namesake,), True, False
            kin = self._other_site(previous.focus, text)
            if kin:  # "What did Oldham do?" then "and the other Greater Manchester one?": Rochdale
                return f"{text} {title_of(kin) or kin}", (kin,), True, False
            if pair_other:  # "what does the ethical principle require?" then "and the other one?": Effective
                return f"{text} {pair_other} {title_of(previous.focus)}", (previous.focus,), True, False
            other = _other_of(previous.focus, listed)
            if other:
                return f"{text} {title_of(other)}", (other,), True, False
        in_name = _IN_THE_NAME.search(text)
        if in_name and len(listed) > 1:
            # "which of those have voice in the name?" after the eight Practices: the ones whose titles use the word
            wanted = set(terms(in_name.group(1)))
            having = tuple(i for i in listed if wanted and wanted <= set(terms(title_of(i))))
            if having:  # (the names are the question's own matter: no one of them is what it is about)
                return f"{text} {' '.join(title_of(i) for i in having)}", (), True, False
        if _ALL_OF.search(text) and len(listed) > 1 and len(listed) <= 8:
            return f"{text} {' '.join(title_of(i) for i in listed)}", tuple(listed), True, False
        # "what questions does the second podcast leave listeners with?" has words of the corpus's own to search with
        # and stands alone; "explain the first one like i'm a childminder" has none (the corpus never says
        # "childminder") and points back. "The second one" has no noun of its own and points back whatever else the
        # message says: "what does the second one ask listeners to think about?" after the project's podcasts.
        own = [t for t in _own_terms(text) if self.snapshot.vocabulary.get(t, 0)]
        pointing = bool(_POINTING.search(text)) or (bool(_ONE.search(text)) and len(own) < 2) \
            or bool(_WHICH_ONE.search(text)) or bool(_BARE_ORDINAL.search(text))
        short = len(terms(text)) <= 3
        if (pointing or short) and previous.focus and not (not pointing and self._stands_alone(text)):
            # The earlier question carries the topic that "it" or "they" points back to.
            return f"{text} {previous.topic_question} {title_of(previous.focus)}", (previous.focus,), True, False
        return text, (), False, False

    @staticmethod
    def _said(history: Sequence[Turn]) -> str:
        previous = last_answered(history)
        return previous.lead if previous is not None else ""

    def _other_site(self, focus: str | None, text: str) -> str | None:
        """"the other Greater Manchester one" after a partner site: the one other site whose document uses the words."""
        if not focus or not focus.startswith("site-"):
            return None
        own = set(_own_terms(text)) - set(terms("other one"))
        if not own:
            return None
        sites = sorted({c.doc_id for c in self.snapshot.chunks if c.doc_id.startswith("site-") and c.doc_id != focus})
        having = [i for i in sites
                  if own <= set(terms(" ".join(c.text for c in self.snapshot.doc_chunks(i))))]
        return having[0] if len(having) == 1 else None

    def _stands_alone(self, text: str) -> bool:
        """A short question with a topic of its own ("consent forms?", "who is Emma Smale?")."""
        # An ordinal ("the 3rd finding") is never a topic, whatever the corpus spells.
        return any(self.snapshot.vocabulary.get(stem(w), 0) <= RARE_DF for w in content_words(ORDINAL.sub(" ", text)))


_QUESTION_OPENING = re.compile(rf"^\W*({_ASKING_WORDS})\b", re.I)
_LEANS = re.compile(r"\b(?:is|was|are|were|does|did) (?:that|this|it|those|these)\b|\b(?:that|this|those|these)\W*$|"
                    r"\bis (?:that|this) \w+(?: to)?\W*$", re.I)
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Za-z\[])")


def sentences_of(text: str) -> list[str]:
    """The sentences of a message, in order: it breaks after ".", "!" or "?" before a letter.

    >>> sentences_of("Dad wants to know. What do the principles say?")
    ['Dad wants to know.', 'What do the principles say?']
    """
    return [p.strip() for p in _SENTENCES.split(text.strip()) if p.strip()]


def asking_sentences(text: str) -> list[str]:
    """The sentences of a message that end in "?"."""
    return [p for p in sentences_of(text) if p.endswith("?")]


def _only_in(match: re.Match[str], text: str) -> set[str]:
    """The terms of a match's first group that took part (of alternatives) that the rest of the text does not use."""
    group = next((g for g in match.groups() if g), "")
    return set(terms(group)) - set(terms(text[:match.start()] + text[match.end():]))


def asking_sentence(text: str) -> str:
    """The sentence of a longer message that asks the question: the last one ending in "?", else the whole text.

    >>> asking_sentence("Dad wants to know who sees the data. What do the principles say ethical use has to be?")
    'What do the principles say ethical use has to be?'
    """
    parts = sentences_of(text)
    if len(parts) < 2:
        return text
    last = parts[-1]
    if not (last.endswith("?") or _QUESTION_OPENING.match(last)):
        asked = [p for p in parts if p.endswith("?")]
        last = asked[-1] if asked else text
    # "Which practice is that?" leans on the story before it: the whole message asks.
    return last if len(last.split()) >= 4 and not _POINTING.search(last) and not _LEANS.search(last) else text


# "didn't the prof who leads CIP say ...?": a "who" after a person or body describes it, and asks nothing
_RELATIVE_WHO = re.compile(r"\b(?:prof|professor|person|people|man|woman|lady|guy|one|team|someone|anyone|researcher|"
                           r"researchers|staff|worker|workers|lead|manager|organisation|org|body|group|speaker|speakers) who\b",
                           re.I)


def relation_of(text: str) -> str:
    """The verb right after "who" ("who funded LEAP?" -> "fund"), or what "where does X come from" asks the
    source of ("where does the funding come from?" -> "fund"); none for "who is", "who are"."""
    text = _RELATIVE_WHO.sub(" ", text)
    m = re.search(r"\bwho (?:is|are|was|were|has|have) [\w' ]{1,40}? ([a-z]+ing) (?:with|for|on|to)\b", text, re.I) or \
        re.search(r"\bwho(?:'s|’s| is| are) ([a-z]+ing)\b", text, re.I) or \
        re.search(r"\bwho\s+(?:(?:at|from|in|on) (?:the )?[\w-]+\s+)?(?:(?:actually|really|even|currently|now|ultimately) )?"
                  r"([a-z]+)", text, re.I) or \
        re.search(r"\bwhere (?:does|do|did) (?:the |their |its |our )?([a-z]+)\b[^?]*? comes? from", text, re.I)
    found = terms(m.group(1)) if m else []
    return found[0] if found else ""


# "can you list the 8 domains ...?", "what are the names of its eight domains?": the items themselves, which the
# material may say it does not give ("does not name the eight domains")
_NAMES_ASKED = re.compile(r"^\W*(?:(?:can|could|would) you\s+)?(?:please\s+)?(?:list|name)\b[^?]*?"
                          r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|all the|the) ([a-z]{3,})"
                          r"|\bnames of\b[^?]*?\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten) ([a-z]{3,})", re.I)
_EXISTS = re.compile(r"(?:\b(?:is|are) there|\b(?:has|have) (?:it|they|the \w+|cip) (?:got|put out|published|issued|produced)|\b(?:does|do) (?:it|they|the \w+|cip) "
                     r"(?:have|give|offer|include)) (?:an? |any )?(?:actual |official |real |proper |published |formal )?(?:step[- ]by[- ]step )?"
                     r"(?:list of |set of )?([a-z]+)", re.I)
# "Does CIP say whether we should be using Copilot ...?", "does it tell us if ...?", "has the project got a position on
# whether ...?": whether the material takes a view (`Question.lacking` is then WHETHER); a sentence listing that view
# among what it does not give answers
WHETHER = terms("whether")[0]
# "the exact wording", "word for word", "verbatim": asks for a text's own words (`Question.lacking` is then EXACT)
_EXACT_WORDS = re.compile(r"\b(?:exact|word[- ]for[- ]word|verbatim)\b", re.I)
EXACT = terms("exact")[0]
DEFINITION = terms("definition")[0]  # `Question.lacking` for "is it defined anywhere?", "is there an official definition?"
_SAYS_WHETHER = re.compile(r"\b(?:does|do|did|has|have) (?:it|they|the \w+|cip)\b(?: \w+){0,2}? (?:say|said|tell (?:us|you|me)|"
                           r"told (?:us|you|me)|state|stated|(?:have|got|take|taken|put out|given|issued|published) (?:a|any) "
                           r"(?:position|view|stance|line|guidance|advice)(?: on)?) (?:whether|if)\b", re.I)
# "is the ethical principle basically about being legal, or more?": what the thing is, asked by a guess at it
_IS_IT_JUST = re.compile(r"^\W*(?:is|are) (?:the |a |an )?([a-z][\w' -]{2,40}?) (?:basically|just|only|mainly|really|all) "
                         r"(?:about|a|an)\b", re.I)
# "does 'data' just mean the stat returns?" asks whether it is that narrow
_JUST_MEANS = re.compile(r"\b(?:does|do|is|are) (?:\S+ ){1,8}?(?:just|only) (?:mean|cover)\b", re.I)
# ... and, like "which national datasets does it mean?", asks one thing about an element, not what it is
# ("which one is Practice 5?" asks which it is: its name and place)
_ONE_THING_ASKED = re.compile(rf"\bwhich (?!one (?:is|was) (?:the )?(?:practice|approach|enabler|[ape]\s*\d)\b)\w+(?: \w+)? "
                              rf"(?:does|do|did|is|are)\b|{_JUST_MEANS.pattern}", re.I)
_WHAT_IS_IT = re.compile(r"\bwhat(?:'s|’s| is) (?:it|that|this)\b", re.I)
# "is the second one actually defined anywhere?", "does it have a definition?": whether a definition exists.
DEFINITION_ASKED = re.compile(r"^\W*(?:is|are) (?:it|they|that|this|the \w+(?: one)?) (?:\w+ )?defined\b"
                              r"|^\W*(?:does|do|has|have) (?:it|they|that|this|the \w+(?: one)?) (?:\w+ )?(?:have|got) "
                              r"(?:an? |any )?(?:\w+ )?definition\b", re.I)
_POINTER_TERMS = frozenset(terms("one ones it them that those this these more bit about say says tell exactly "
                                 "again please what which approach approaches practice practices enabler enablers"))


def _asks_more(text: str) -> bool:
    """A follow-up naming an item by its place asks something of it beyond "tell me about it": it has words of its
    own ("does the second one have a definition?", "which of feinstein's phrases goes with the third one?")."""
    return len(_own_terms(text)) >= 2


def _own_terms(text: str) -> list[str]:
    """A follow-up's terms other than its ordinal and its pointing words ("the second one", "it", "say")."""
    return [t for t in terms(ORDINAL.sub(" ", text)) if t not in _POINTER_TERMS]


# The form an answer is wanted in, or who it is for: no topic ("english" may have been spelt into "england")
_ANSWER_FORM = re.compile(r"\b(?:in (?:plain|simple|simpler|everyday|lay(?:man'?s)?) (?:english|england|terms?|words|language)"
                          r"|in a nutshell|in a (?:couple of|few) (?:lines|sentences|words)"
                          r"|(?:for|to) (?:new starters|a new starter|newbies?|beginners|a newcomer|newcomers)"
                          r"|like (?:i'?m|i am) (?:new(?: to this| here)?|five|5))\b", re.I)
_THROUGH = re.compile(r"\b(?:take|run|go) (?:me|us) through\b", re.I)
_TELL_ME = re.compile(r"\b(?:catch|fill|bring) (?:me|us) (?:up )?(?:in )?on\b|\bbrief (?:me|us) on\b", re.I)


def _plain_speak(text: str) -> str:
    """Text-speak question words written out: "wat r the system enablers" -> "what are the system enablers"."""
    for rx, word in _TEXTSPEAK:
        text = rx.sub(word, text)
    return text


def answer_type_of(text: str) -> str:
    """The kind of answer the question expects (definition, date, person, comparison, ...).

    A comparison wins anywhere; otherwise the question's opening wh-word decides ("Who did Oldham talk to
    when ..." asks for people, not a date), and only then the first rule that matches anywhere.
    """
    text = _plain_speak(text)
    if _FIGURES_ASKED.search(text):
        return "number"  # "what were the north yorks figures on 'suitable' accommodation compared with ... feeling safe?"
    if _TYPES[0][1].search(_MAKES_A_DIFFERENCE.sub(" ", text)) and not (
            _OPENS_WHY.match(text) and not any(rx.search(text) for rx in _SIDES)):
        return _TYPES[0][0]  # "why does CIP reckon ethical makes services effective? sounds like two different things" asks why
    if re.search(_WHEN_THEY_SAY, text, re.I) or re.search(_WHAT_MAKES, text, re.I) or _HOW_DEFINED.search(text):
        # "What makes using information 'ethical'?" asks what 'ethical' means; "how did they define generative AI?"
        # asks for the definition, not a method
        return "definition"
    if _USED_FOR.search(text):
        return "other"  # "what is GenAI being used for in social work?" asks for its uses, not what it is
    if _THEY_COUNTED.search(text) or _WHAT_COUNTED.search(text):
        return "list"  # "The two principles the project started from - what are they?" asks for both
    if _CASE_FOR.search(text):
        return "reason"  # "what's the argument behind integrating voice?" asks why, not what it is
    if _WHICH_SITES_ARE.search(text):
        return "list"  # "which councils are the partner sites?" asks for all of them, not which one
    if _WHICH_MEANT.search(text):
        return "other"  # "which national datasets does practice 8 actually mean?" asks which, not what P8 means
    if _JUST_MEANS.search(text) and not re.search(_WHEN_THEY_SAY, text, re.I):
        return "yesno"  # "does 'making best use ...' just mean our stats?" asks whether it is that narrow
    polite = _POLITE.match(text)
    if polite and text[polite.end():].strip():
        text = text[polite.end():]  # "Can you explain Practice 3?" asks for an explanation, not a yes or no
    opening = _OPENING.match(text)
    if not opening:
        # "Someone mentioned an LSE strand on ... Who does that and what's their starting hypothesis?": the opening of
        # the sentence that asks, when the message is read whole because that sentence leans on the story
        asking = asking_sentences(text)
        opening = _OPENING.match(asking[-1]) if len(asking) == 1 and asking[-1] != text.strip() else None
    if opening:
        return next(name for name, word in _OPENING_TYPES if re.fullmatch(word, opening.group(1), re.I))
    # "what" inside the question asks no definition: "finding out what's recorded", "what's the project doing next?"
    plain = _NOT_DEFINING.sub(" ", text)
    return next((name for name, rx in _TYPES[1:] if rx.search(plain if name == "definition" else text)), "other")


_AND_ASKS = re.compile(r"(?:\band|,|;|\?)\s+(?:also\s+)?((?:how much|how many|how long|when|who|where)\b[^?.]*)", re.I)


def _second_part(text: str, answer_type: str) -> tuple[str, str]:
    """The kind of a second asking clause, when it differs from the first's: (answer type, measure).

    >>> _second_part("who funds the CIP and how much did they get?", "person")
    ('number', 'money')
    >>> _second_part("when did it start and when does it end?", "date")
    ()
    """
    m = _AND_ASKS.search(text)
    if not m:
        return ()
    kind = answer_type_of(m.group(1))
    if kind == answer_type or kind not in ("number", "date", "person", "site"):
        return ()
    return kind, measure_of(m.group(1)) if kind == "number" else ""


# "how did Oldham go about finding out what's recorded?", "how did they actually work out what ...?": the means to an end
_GOES_ABOUT = re.compile(r"\bhow (?:did|do|does|can|could|should|would|will|might) (?:[\w']+ ){1,4}?"
                         r"(?:(?:go|going|went|set|setting) about ([a-z]+)( out\b)?|(?:actually )?(find|work|figure)( out)\b)", re.I)


def goal_of(text: str) -> str:
    """The stemmed verb, with its "out", of the end a how-question asks the means to, or "".

    >>> goal_of("How did Oldham go about finding out what's recorded?"), goal_of("how did they actually work out what ...?")
    ('find out', 'work out')
    >>> goal_of("how do we bring young people's voices into our reporting?")
    ''
    """
    m = _GOES_ABOUT.search(text)
    if not m:
        return ""
    verb, out = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    found = terms(verb)
    return f"{found[0]}{' out' if out else ''}" if found else ""


def says_goal(goal: str, text: str) -> bool:
    """The text says the end again ("Oldham began by finding out what ..."): the verb, with its "out" when it has one.

    >>> says_goal("find out", "Oldham began by finding out what is recorded."), says_goal("work out", "two kinds of work")
    (True, False)
    """
    verb, _, out = goal.partition(" ")
    return bool(verb) and re.search(rf"\b{re.escape(verb)}\w*{' out' if out else ''}\b", text, re.I) is not None


def measure_of(text: str) -> str:
    """What a number question counts: money, a duration, a share (percentages, "the figures"), or (by default) things."""
    if _MONEY.search(text):
        return "money"
    if _DURATION.search(text):
        return "duration"
    return "share" if _SHARE.search(text) else "count"


def _phrase(text: str) -> str:
    """The one quoted term of two words or more, as lower-case words ("is 'voice in data' the same as 'voice as
    information'?" quotes two and weighs them together, so it has none).

    >>> _phrase("What is 'Voice AS Information'?"), _phrase("is 'voice in data' like 'voice as information'?")
    ('voice as information', '')
    """
    quoted = _QUOTED.findall(text)
    return " ".join(words(quoted[0])) if len(quoted) == 1 and len(words(quoted[0])) > 1 else ""


def subject_of(text: str, context: str = "") -> tuple[str, ...]:
    """Stemmed terms of what a definition question asks about ("what does transparent mean" -> transparent).

    "Our IT lead keeps saying 'infrastructure'. What does the framework mean by it?": what "it" points back to, the
    term quoted in the message (`context`)."""
    if _MEANT_BY_IT.search(text):
        quoted = _QUOTED.search(context or text)
        if quoted and terms(quoted.group(1)):
            return tuple(terms(quoted.group(1)))
        # "And governance - what does the CIP mean by that in the enablers?": the words put before the question
        fronted = _FRONTED_TERM.match(text)
        if fronted and terms(fronted.group(1)):
            return tuple(terms(fronted.group(1)))
    text = _ASKED_FORM.sub("", text)  # "what's the one liner on the ethical principle?" asks about the principle
    for rx in _SUBJECT:
        m = rx.search(text)
        if m and terms(m.group(1)):
            # "talks about infrastructure as an enabler": what kind of thing it is, not part of it
            said = _AS_KIND.sub("", m.group(1))
            said = _without_principle(said)
            return tuple(terms(said) or terms(m.group(1)))
    # "the LSE team say 'voice about data' - what do they mean by that?": the quoted words
    quoted = _QUOTED.search(text)
    return tuple(terms(quoted.group(1))) if quoted else ()


def _without_principle(said: str) -> str:
    """"the ethical principle" is the principle labelled "Ethical:": the closing kind word is not part of its name."""
    return _PRINCIPLE_WORD.sub("", said)


_PRINCIPLE_WORD = re.compile(r"(?<=\w) principles?\W*$", re.I)
# The form the answer is asked in, before what it is about: "the one liner on", "a quick summary of"
_ASKED_FORM = re.compile(r"\b(?:the |a |an )?(?:quick |short |brief )?(?:one[- ]?liner|summary|gist|short version|tl;?dr)"
                         r" (?:on|of|for|about) ", re.I)
_AS_KIND = re.compile(r"\s+as (?:an? |the |one of the )?(?:\w+ )?(?:approach|practice|enabler|principle|value)(?:e?s)?\b.*$", re.I)
_FRONTED_TERM = re.compile(r"^\W*(?:(?:and|so|ok|okay|also)\W+)?((?:[\w'-]+ ?){1,4}?)\s*[-–:,]\s*(?:what|how)\b", re.I)
_MEANT_BY_IT = re.compile(r"\b(?:mean|means|meant) by (?:it|that|this|them|those)\b", re.I)
_WHAT_NOUN = re.compile(r"\b(?:what|which) ([a-z]{3,}s|staff|people)\b(?!'| to\b| (?:the|a|an|it|they|this|that|we|you|our|your|he|she)\b)", re.I)
# a verb, not a noun, when a participle or an adverb follows: "what gets recorded", "what happens next", "what counts as"
_VERB_NEXT = re.compile(r" (?:[a-z]+ed|next|as|most|now|then|if|when|after|up|out)\b")
_NAMED_ONE = re.compile(r"\bthe ([a-z]+) one\b", re.I)
# "the second one", "the other one", "the 3rd one" pick by place, not by a name
_PLACE_WORD = re.compile(ORDINAL_WORDS + r"|last|final|other|middle|same|next|main|right|new|old|\w+(?:st|nd|rd|th)", re.I)
_QUOTED = re.compile(r"(?<!\w)['‘\"“]([^'‘’\"“”]{3,60}?)['’\"”](?!\w)")


_SIDES = [re.compile(p, re.I) for p in (
    r"\bdifferences? between (?:the )?(.+?) and (?:the )?(.+?)(?:[?,.;]|\bor\b|\bin (?:the|their|our)\b|$)",
    r"(?:^|\bis |\bare |, ?)(?:the )?([^,?]+?),? (?:vs\.?|versus) (?:the )?(.+?)(?:[?,.;]|\bor\b|\bin (?:the|their|our)\b|$)",
    r"\b(?:is|are|does|do) (?:the )?(.+?) (?:differ|different|differs) (?:from|to) (?:the )?(.+?)(?:[?,.;]|\bor\b|\bin (?:the|their|our)\b|$)",
    r"\b(?:is|are) (?:the )?(.+?) (?:the )?same as (?:the )?(.+?)(?:[?,.;]|\bor\b|$)",
)]


def _layer_kind(word: str) -> str:
    """'approach', 'practice' or 'enabler' for a layer word ("Approaches", "system enablers", "practice")."""
    word = word.lower()
    return "approach" if word.startswith("approach") else "practice" if word.startswith("practice") else "enabler"


def _kinds_named(text: str) -> set[str]:
    """The Framework layers a question names ("practice", "approach"), each once."""
    return {_layer_kind(m) for m in _KIND_WORD.findall(text)}


def sides_of(text: str) -> tuple[tuple[str, ...], ...]:
    """The two things a comparison sets side by side, as stemmed terms ("effective differ from ethical")."""
    for rx in _SIDES:
        m = rx.search(text)
        if m:
            sides = tuple(tuple(terms(g)) for g in m.groups())
            if all(sides) and sides[0] != sides[1]:
                return sides
    return ()


# What the answer is for, closing a clause: "... and can you list them for a team briefing?"
_PURPOSE = re.compile(r"\bfor (?:a|an|the|my|our|your|their|this|next) [\w' -]{1,30}?\W*$", re.I)


def structure_of(text: str) -> str | None:
    """'approach', 'practice', 'enabler' or 'framework' when the question asks how the Framework is laid out."""
    if re.search(r"\b(approach|practice|enabler)s?\s*(number\s*)?\d", text, re.I):
        return None
    text = _plain_speak(text)
    # The list asked for in the message, or in one clause of it when the others only tell why, asking nothing:
    # "can u list all the practices for me, need them for a slide".
    clauses = [c for c in re.findall(r"[^,;.?!]+[,;.?!]*", text) if terms(c)]
    for clause in [text] + (clauses if len(clauses) > 1 else []):
        plural = _PLURALS.search(clause)
        # (a clause that is a whole question of its own asks as the whole text would: "What are the system enablers in
        # the framework? there's two I think"; not one leaning on the story before it: "... which of the approaches
        # is that?")
        whole = clause.rstrip().endswith("?") and not _LEANS.search(clause)
        if plural and (_LIST_VERBS if clause is text or _CALLED_ASKED.search(clause) or whole
                       else _LIST_ASKED).search(clause) \
                and not set(terms(clause)) - _STRUCTURE_WORDS and (clause is text or not any(
                (c.rstrip().endswith("?") or _ASKING_WORD.match(c)) and set(terms(_PURPOSE.sub("", c))) - _STRUCTURE_WORDS
                for c in clauses if c is not clause)):
            # (another clause asking only for the same list is no other question: "how many practices are there?
            # and can u list them")
            # (two layers or more asked at once are the Framework's shape: "how many approaches, practices and sets of
            # enablers are there?")
            sentence = next((p for p in re.split(r"(?<=[.?!])\s+", text) if clause.strip() in p), clause)
            layers = {_layer_kind(p) for p in _PLURALS.findall(sentence)}
            return "framework" if len(layers) > 1 else _layer_kind(plural.group(1))
    # "just need the list of practices for a slide, how many are there ...": the list named outright, whatever the
    # message says about why (not "a list of practices that use voice")
    listed = _LIST_OF.search(text)
    if listed:
        return _layer_kind(listed.group(1))
    # (counting the words of the sentence that asks it: "... in a couple of lines? I've just started as a lead ...")
    # ("I'm explaining the CIP Framework to new starters. How is it put together?": "it" is the Framework of the
    # sentence before)
    if any((_FRAMEWORK_SHAPE.search(p) or (_IT_SHAPE.match(p) and _FRAMEWORK_SHAPE.search(text)))
           and len(set(terms(p)) - _STRUCTURE_WORDS) <= 5 for p in re.split(r"(?<=[.?!])\s+", text)):
        return "framework"
    return None


_IT_SHAPE = re.compile(r"^\W*(?:(?:and|so|but|ok|okay)\W+)*how (?:is|does) it (?:\w+ly )?"
                       r"(?:put together|structured|organi[sz]ed|laid out|set out|fit together)\b", re.I)


def _pick(listed: Sequence[str], n: int | None) -> str | None:
    """The n-th item of an earlier list (-1: the last), or None when there is no such item."""
    if n == -1:
        return listed[-1]
    return listed[n - 1] if n and 0 < n <= len(listed) else None


# An item named by its list's noun and a number: "key finding 7", "message no. 3", "Key finding 3 - what does it say?"
# (not "practice 5", "section 47", "the 2 year check", "5 years", nor a run: "findings 3-5")
_NOT_LIST_NOUNS = r"practices?|approach(?:es)?|enablers?|sets?|sections?|pages?|years?|stages?|ages?"
_UNITS = r"%|years?|months?|weeks?|days?"
# ("list all 10 key findings" counts them: "all" is no list's noun)
_NOUN_ITEM = re.compile(rf"\b(?!(?:{_NOT_LIST_NOUNS}|all|both|under|"
                        r"over|top|since|in|on|at|by|of|for|to|and|or|the|about|than|around)\b)[a-z]{3,} "
                        rf"(?:no\.? ?|number |#)?(\d{{1,2}})\b(?!\s*(?:{_UNITS}|to\b|[-–]\s*\d|\.\d|(?:and|or|,|&)\s*\d))", re.I)
# ... or a run of them: "key findings 5 to 10"
_NOUN_RUN = re.compile(rf"\b(?!(?:{_NOT_LIST_NOUNS})\b)[a-z]{{3,}}s (\d{{1,2}}) ?(?:to|-|–) ?(\d{{1,2}})\b(?!\s*(?:{_UNITS}))", re.I)
_ITEM_ASKED = re.compile(rf"\bthe (?:{ORDINAL_WORDS}|\d(?:st|nd|rd|th))\b|\b(?:number|no\.?|item) ?\d", re.I)


# "first" saying when or how many, not which: "what did they do first?", "which came first?", "at first",
# "first of all", "i can only find the first few"
_FIRST_WHEN = re.compile(r"\b(?:(?:do|does|did|done|doing|happen|happens|happened|come|comes|came|go|went|start|started|"
                         r"begin|began|look at|looked at|tackle|tackled)\s+first|at first|first (?:of all|off)|"
                         r"(?:the )?first (?:few|couple|several|handful))\b", re.I)


def _item_of(text: str) -> int:
    """The list item an ordinal asks for ("and the fourth?" -> 4), 0 when none."""
    text = _FIRST_WHEN.sub(" ", text)
    if _MIDDLE.search(text) and not ORDINAL.search(text):
        return 2  # "what was the middle one?": the middle of three, the list one is asked about that way
    m = ORDINAL.search(text)
    n = (_ordinal_number(m.group(1)) or 0) if m else 0
    # "what did they switch to after the first idea?": the item after it
    side = _BEFORE_AFTER.search(text[:m.start()]) if n else None
    return max(n + (1 if side.group(1).lower() == "after" else -1), 1) if side else n


_MIDDLE = re.compile(r"\bthe middle(?: one)?\b(?=\s*(?:[?.!,]|$))", re.I)
_BEFORE_AFTER = re.compile(r"\b(after|before)\s+(?:the\s+|their\s+|its\s+)?$", re.I)


def _ordinal_number(token: str) -> int | None:
    token = token.lower()
    digits = re.search(r"\d", token)
    if digits:
        return int(digits.group())
    return NUMBER_WORDS.get(token)


# "the one after that", "the next one", "and the one before?": a step along the list the last answer was on
_STEP = re.compile(r"\b(?:the )?(?:one |item |finding |message )?(?:(before|previous)|after|next)(?: one| that| it)?\b"
                   r"(?=\W*$)|\bthe (?:(previous)|next) (?:one|item|finding|message|practice|approach)\b", re.I)


def _direction(step: re.Match[str]) -> int:
    """-1 for a step back ("the one before", "the previous one"), +1 for one forward."""
    return -1 if (step.group(1) or step.group(2)) else 1


def _shifted(previous: Turn, text: str) -> str | None:
    """The element next to (or before) the one the last exchange was about, in its layer's order."""
    step = _STEP.search(text)
    focus = previous.about or previous.focus
    if not step or not focus or kind_of(focus) not in ("approach", "practice", "enabler"):
        return None
    members = list(elements_of_kind(kind_of(focus)))
    at = members.index(focus) + _direction(step) if focus in members else -1
    return members[at] if 0 <= at < len(members) else None


def _namesake(focus: str | None, text: str) -> str | None:
    """"the other mapping one": the one other element of the focus's layer whose title has the message's word."""
    if not focus or kind_of(focus) not in ("approach", "practice", "enabler"):
        return None
    own = set(_own_terms(text)) - set(terms("other one"))
    if not own:
        return None
    others = [i for i in elements_of_kind(kind_of(focus)) if i != focus and own <= set(terms(title_of(i)))]
    return others[0] if len(others) == 1 and own <= set(terms(title_of(focus))) else None


_PAIR_ITEM = re.compile(r"^\s*- \*\*([^*]+?):?\*\*")


def _other_label(asked: str, chunks: Sequence[Any]) -> str:
    """The other item of a two-item bold list ("- **Effective:** ...", "- **Ethical:** ...") in the document a
    question was about, when the question named just one of them by its label's own words.

    >>> from types import SimpleNamespace as Chunk
    >>> _other_label("What does the ethical principle require?", [Chunk(text="- **Effective:** a."), Chunk(text="- **Ethical:** b.")])
    'Effective'
    """
    asked_words = {stem(w) for w in words(asked)}
    runs: list[list[str]] = [[]]
    for line in "\n".join(c.text for c in chunks).splitlines():
        item = _PAIR_ITEM.match(line)
        if item and item.group(1) not in runs[-1]:
            runs[-1].append(item.group(1))
        elif not item and runs[-1]:
            runs.append([])
    for labels in runs:
        if len(labels) != 2:
            continue
        # "voice within information" names the first of "Voice within information" and "Voice about information"
        own = [{stem(w) for w in words(a)} - {stem(w) for w in words(b)} for a, b in (labels, labels[::-1])]
        named = [i for i, label_words in enumerate(own) if label_words and label_words <= asked_words]
        if len(named) == 1:
            return labels[1 - named[0]]
    return ""


def _other_of(focus: str | None, listed: Sequence[str]) -> str | None:
    """The other one: of a two-item list, or of a layer with two members (the System Enabler sets)."""
    if focus is None:
        return None
    if len(listed) == 2 and focus in listed:
        return listed[1 - listed.index(focus)]
    kind = kind_of(focus)
    if KIND_COUNT.get(kind) == 2:
        return next((i for i in elements_of_kind(kind) if i != focus), None)
    return None
