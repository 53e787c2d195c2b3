namespace Meg.Quality;

/// <summary>
/// Fréchet distance between two sets of feature vectors, each modelled as a Gaussian:
/// |mu1 - mu2|^2 + tr(C1 + C2 - 2 (C1^1/2 C2 C1^1/2)^1/2). With Inception features this is FID; MEG uses
/// its own image encoder's features, so results are named "MEG-FD", not FID.
/// </summary>
public static class FrechetDistance
{
    /// <summary>Each row of <paramref name="a"/> and <paramref name="b"/> is one sample's feature vector.</summary>
    public static double Compute(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
    {
        if (a.Count < 2 || b.Count < 2)
        {
            throw new ArgumentException($"Each set needs at least 2 samples (got {a.Count} and {b.Count}).");
        }

        var dim = a[0].Length;
        if (a.Concat(b).Any(v => v.Length != dim))
        {
            throw new ArgumentException("Every feature vector must have the same length.");
        }

        var (meanA, covA) = MeanAndCovariance(a, dim);
        var (meanB, covB) = MeanAndCovariance(b, dim);
        var meanTerm = 0.0;
        for (var i = 0; i < dim; i++)
        {
            meanTerm += (meanA[i] - meanB[i]) * (meanA[i] - meanB[i]);
        }

        var traceRoot = a.Count + b.Count <= dim
            ? TraceRootFromSamples(a, meanA, b, meanB, dim)
            : TraceRootFromCovariances(covA, covB, dim);
        var trace = 0.0;
        for (var i = 0; i < dim; i++)
        {
            trace += covA[i * dim + i] + covB[i * dim + i];
        }

        return Math.Max(0, meanTerm + trace - 2 * traceRoot);
    }

    /// <summary>tr((A^1/2 B A^1/2)^1/2) through symmetric eigendecompositions of d x d matrices.</summary>
    private static double TraceRootFromCovariances(double[] covA, double[] covB, int dim)
    {
        var rootA = SymmetricSqrt(covA, dim);
        var inner = Multiply(Multiply(rootA, covB, dim), rootA, dim);
        var (values, _) = SymmetricEigen.Decompose(inner, dim);
        return values.Sum(v => Math.Sqrt(Math.Max(0, v)));
    }

    /// <summary>
    /// The same trace when there are fewer samples than dimensions: with centered sample matrices Xa, Xb,
    /// A B = Xa' (Xa Xb') Xb / c shares its nonzero eigenvalues with M M' for M = Xa Xb' (na x nb), so the
    /// trace is the sum of M's singular values over sqrt(c), c = (na - 1)(nb - 1): an na x na problem.
    /// </summary>
    private static double TraceRootFromSamples(IReadOnlyList<float[]> a, double[] meanA, IReadOnlyList<float[]> b, double[] meanB, int dim)
    {
        var m = new double[a.Count * b.Count];
        for (var i = 0; i < a.Count; i++)
        {
            for (var j = 0; j < b.Count; j++)
            {
                var sum = 0.0;
                for (var k = 0; k < dim; k++)
                {
                    sum += (a[i][k] - meanA[k]) * (b[j][k] - meanB[k]);
                }

                m[i * b.Count + j] = sum;
            }
        }

        var mmt = new double[a.Count * a.Count];
        for (var i = 0; i < a.Count; i++)
        {
            for (var j = 0; j < a.Count; j++)
            {
                var sum = 0.0;
                for (var k = 0; k < b.Count; k++)
                {
                    sum += m[i * b.Count + k] * m[j * b.Count + k];
                }

                mmt[i * a.Count + j] = sum;
            }
        }

        var (values, _) = SymmetricEigen.Decompose(mmt, a.Count);
        return values.Sum(v => Math.Sqrt(Math.Max(0, v))) / Math.Sqrt((a.Count - 1.0) * (b.Count - 1.0));
    }

    private static (double[] Mean, double[] Covariance) MeanAndCovariance(IReadOnlyList<float[]> rows, int dim)
    {
        var mean = new double[dim];
        foreach (var row in rows)
        {
            for (var i = 0; i < dim; i++)
            {
                mean[i] += row[i];
            }
        }

        for (var i = 0; i < dim; i++)
        {
            mean[i] /= rows.Count;
        }

        var cov = new double[dim * dim];
        var centered = new double[dim];
        foreach (var row in rows)
        {
            for (var i = 0; i < dim; i++)
            {
                centered[i] = row[i] - mean[i];
            }

            for (var i = 0; i < dim; i++)
            {
                for (var j = i; j < dim; j++)
                {
                    cov[i * dim + j] += centered[i] * centered[j];
                }
            }
        }

        // Unbiased (n - 1), as numpy.cov and the common FID code use.
        for (var i = 0; i < dim; i++)
        {
            for (var j = i; j < dim; j++)
            {
                var v = cov[i * dim + j] / (rows.Count - 1);
                cov[i * dim + j] = v;
                cov[j * dim + i] = v;
            }
        }

        return (mean, cov);
    }

    private static double[] SymmetricSqrt(double[] matrix, int dim)
    {
        var (values, vectors) = SymmetricEigen.Decompose(matrix, dim);
        var result = new double[dim * dim];
        for (var k = 0; k < dim; k++)
        {
            var root = Math.Sqrt(Math.Max(0, values[k]));
            for (var i = 0; i < dim; i++)
            {
                for (var j = 0; j < dim; j++)
                {
                    result[i * dim + j] += vectors[i * dim + k] * root * vectors[j * dim + k];
                }
            }
        }

        return result;
    }

    private static double[] Multiply(double[] x, double[] y, int dim)
    {
        var result = new double[dim * dim];
        for (var i = 0; i < dim; i++)
        {
            for (var k = 0; k < dim; k++)
            {
                var xik = x[i * dim + k];
                for (var j = 0; j < dim; j++)
                {
                    result[i * dim + j] += xik * y[k * dim + j];
                }
            }
        }

        return result;
    }
}
