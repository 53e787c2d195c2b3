namespace Meg.Quality;

/// <summary>Eigenvalues and eigenvectors of a real symmetric matrix by cyclic Jacobi rotations (fine up to a few hundred dimensions).</summary>
public static class SymmetricEigen
{
    /// <summary>Returns eigenvalues and the eigenvectors as columns of a row-major matrix.</summary>
    public static (double[] Values, double[] Vectors) Decompose(double[] matrix, int dim, int maxSweeps = 100)
    {
        var a = (double[])matrix.Clone();
        var v = new double[dim * dim];
        for (var i = 0; i < dim; i++)
        {
            v[i * dim + i] = 1;
        }

        for (var sweep = 0; sweep < maxSweeps; sweep++)
        {
            var off = 0.0;
            for (var p = 0; p < dim; p++)
            {
                for (var q = p + 1; q < dim; q++)
                {
                    off += a[p * dim + q] * a[p * dim + q];
                }
            }

            if (off < 1e-22)
            {
                break;
            }

            for (var p = 0; p < dim; p++)
            {
                for (var q = p + 1; q < dim; q++)
                {
                    var apq = a[p * dim + q];
                    if (Math.Abs(apq) < 1e-300)
                    {
                        continue;
                    }

                    var theta = (a[q * dim + q] - a[p * dim + p]) / (2 * apq);
                    var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0)
                    {
                        t = 1;
                    }

                    var c = 1 / Math.Sqrt(t * t + 1);
                    var s = t * c;
                    for (var k = 0; k < dim; k++)
                    {
                        var akp = a[k * dim + p];
                        var akq = a[k * dim + q];
                        a[k * dim + p] = c * akp - s * akq;
                        a[k * dim + q] = s * akp + c * akq;
                    }

                    for (var k = 0; k < dim; k++)
                    {
                        var apk = a[p * dim + k];
                        var aqk = a[q * dim + k];
                        a[p * dim + k] = c * apk - s * aqk;
                        a[q * dim + k] = s * apk + c * aqk;
                    }

                    for (var k = 0; k < dim; k++)
                    {
                        var vkp = v[k * dim + p];
                        var vkq = v[k * dim + q];
                        v[k * dim + p] = c * vkp - s * vkq;
                        v[k * dim + q] = s * vkp + c * vkq;
                    }
                }
            }
        }

        var values = new double[dim];
        for (var i = 0; i < dim; i++)
        {
            values[i] = a[i * dim + i];
        }

        return (values, v);
    }
}
