-- 002: offline full-text search (BM25 in plain SQL; no extension needed in any duckdb shell).
-- Tokens: lower-cased runs of letters/digits (tw_tokens), minus stopwords and 1-character tokens,
-- over title || ' ' || text. Maintained by every load; backfilled here for existing articles.

CREATE OR REPLACE MACRO tw_tokens(s) AS
    list_filter(regexp_extract_all(lower(coalesce(s, '')), '[\p{L}\p{N}]+'), t -> length(t) > 1);

CREATE TABLE search_stopwords (term VARCHAR PRIMARY KEY);
INSERT INTO search_stopwords SELECT unnest(string_split(
    'a,an,and,are,as,at,be,been,but,by,for,from,had,has,have,he,her,his,i,if,in,into,is,it,its,'
    || 'me,my,no,not,of,on,or,our,she,so,than,that,the,their,them,then,there,these,they,this,to,'
    || 'up,us,was,we,were,what,when,which,who,will,with,would,you,your', ','));

-- One row per article: its length in tokens.
CREATE TABLE search_docs (
    article_id VARCHAR PRIMARY KEY,
    doc_len    INTEGER NOT NULL
);

-- One row per (term, article): term frequency.
CREATE TABLE search_postings (
    term       VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    tf         INTEGER NOT NULL
);

INSERT INTO search_docs
SELECT article_id, len(tw_tokens(coalesce(title, '') || ' ' || text)) FROM articles;

INSERT INTO search_postings
SELECT term, article_id, count(*)::INTEGER
FROM (SELECT article_id, unnest(tw_tokens(coalesce(title, '') || ' ' || text)) AS term FROM articles)
WHERE term NOT IN (SELECT term FROM search_stopwords)
GROUP BY term, article_id
ORDER BY term;
