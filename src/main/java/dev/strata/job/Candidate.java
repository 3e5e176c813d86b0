package dev.strata.job;

/** An item an exact-mode leaf may select: its rank score, curated JSON, and whether it is live on the topic. */
public class Candidate {
    public String id;
    public double score;
    public byte[] json;
    public boolean emitted;

    public Candidate() {}

    Candidate(String id, double score, byte[] json) {
        this.id = id;
        this.score = score;
        this.json = json;
    }

    /** Lower score first; ties by id, numerically for decimal ids (so "9" before "10", as row indices). */
    static int compare(Candidate a, Candidate b) {
        int c = Double.compare(a.score, b.score);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(a.id.length(), b.id.length());
        return c != 0 ? c : a.id.compareTo(b.id);
    }
}
